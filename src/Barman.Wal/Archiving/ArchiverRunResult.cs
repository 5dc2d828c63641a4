namespace Barman.Wal.Archiving;

/// <summary>How one archiver's run ended.</summary>
/// <param name="Processed">Files handled (archived or duplicates).</param>
/// <param name="AbortedByHook">True when a pre-archive retry hook asked to stop (exit 63).</param>
/// <param name="StoppedAtChangedSource">True when a source changed while it was copied and the run stopped there.</param>
public readonly record struct ArchiverRunResult(int Processed, bool AbortedByHook, bool StoppedAtChangedSource = false);

namespace Barman.Wal.Archiving;

/// <summary>How one archiver's run ended.</summary>
/// <param name="Processed">Files handled (archived or duplicates).</param>
/// <param name="AbortedByHook">True when a pre-archive retry hook asked to stop (exit 63).</param>
public readonly record struct ArchiverRunResult(int Processed, bool AbortedByHook);

using Barman.Wal.Catalog;

namespace Barman.Wal.Archiving;

/// <summary>
/// One archiver's batch (spec: archive-wal §3): the files to archive in order, the unknown entries, and
/// the numbers the output uses.
/// </summary>
public sealed class WalArchiverQueue(
    IReadOnlyList<WalFileInfo> files,
    IReadOnlyList<string> unknown,
    int totalSize,
    int batchSize)
{
    /// <summary>Files to archive, in archiving order.</summary>
    public IReadOnlyList<WalFileInfo> Files { get; } = files;

    /// <summary>Full paths of entries to move to errors as <c>unknown</c>, sorted.</summary>
    public IReadOnlyList<string> Unknown { get; } = unknown;

    /// <summary>Names listed before the batch cut (including .tmp, unknown and kept-back entries).</summary>
    public int TotalSize { get; } = totalSize;

    /// <summary>The batch option if &gt; 0, else 0.</summary>
    public int BatchSize { get; } = batchSize;

    /// <summary>Number of files to archive.</summary>
    public int RunSize => Files.Count;

    /// <summary>
    /// The segment this run stopped at because it may still be being written (it and the files after it
    /// stay for the next run), or null.
    /// </summary>
    public WalFileInfo? Waiting { get; private init; }

    /// <summary>What the <see cref="Waiting"/> file lacks ("N of M bytes"...), reported after the run.</summary>
    public string? WaitingDetail { get; private init; }

    /// <summary>This batch cut before the file at <paramref name="index"/>, which is waiting.</summary>
    public WalArchiverQueue StopAt(int index, string detail) =>
        new([.. Files.Take(index)], Unknown, TotalSize, BatchSize) { Waiting = Files[index], WaitingDetail = detail };

    /// <summary>Barman's batch mode: something to do and more listed than done.</summary>
    public bool IsBatchMode => RunSize > 0 && TotalSize > RunSize;
}

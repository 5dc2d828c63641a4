using System.Globalization;
using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Platform;
using Barman.Wal.Storage;
using Barman.Wal.Xlog;

namespace Barman.Wal.Archiving;

/// <summary>
/// A WAL segment still being written in place (a plain <c>cp</c> archive_command) is not a corrupt one
/// (barman-wal extension, option <c>incomplete_wal_timeout</c>, default 60 s): a segment shorter than its
/// segment size and modified less than the timeout ago waits. The run stops at it — it and every later
/// file of the batch stay for the next run, so the archive never holds WAL past a hole — with one line
/// on stdout and in the log. Only a segment that stays short and unmodified past the timeout is judged
/// (quarantined as <c>.corrupt</c> by the header gate).
/// </summary>
/// <remarks>
/// With <c>wal_header_validation = on</c> the header gate applies the rule (also to compressed sources
/// that cannot be decoded whole yet); with it off, <see cref="Screen"/> does, for plain segments whose
/// own header claims a larger size. After staging, <see cref="ChangedSinceListing"/> is the backstop for
/// a source rewritten in place after it was listed complete (the copy is not committed then).
/// </remarks>
public sealed class GrowingSegmentPolicy(TimeSpan timeout, TimeProvider clock)
{
    /// <summary>The default timeout in seconds: far above a segment copy's pause between two writes.</summary>
    public const int DefaultTimeoutSeconds = 60;

    /// <summary>How long a short segment must stay unmodified before it is judged.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>The policy of a server.</summary>
    public static GrowingSegmentPolicy Create(ServerOptions server, TimeProvider clock) =>
        new(TimeSpan.FromSeconds(server.IncompleteWalTimeout), clock);

    /// <summary>Time since <paramref name="pythonModifyTime"/> (an mtime as xlog.db records it), never negative.</summary>
    public TimeSpan Age(double pythonModifyTime)
    {
        var age = clock.GetUtcNow() - DateTimeOffset.UnixEpoch.AddTicks((long)(pythonModifyTime * TimeSpan.TicksPerSecond));
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }

    /// <summary>True when the file was modified less than the timeout ago (as listed).</summary>
    public bool MayStillGrow(WalFileInfo wal) => MayStillGrow(wal.Time);

    /// <summary>True when <paramref name="pythonModifyTime"/> is less than the timeout ago.</summary>
    public bool MayStillGrow(double pythonModifyTime) => Timeout > TimeSpan.Zero && Age(pythonModifyTime) < Timeout;

    /// <summary>True for a plain (uncompressed) complete-segment name: the only files a copy can leave short.</summary>
    public static bool IsSegment(WalFileInfo wal) =>
        WalName.TryParse(wal.Name, out var name) && name.Kind == WalFileKind.Segment;

    /// <summary>
    /// Without header validation: the batch up to the first plain segment that is recent and shorter than
    /// the segment size its own header claims; the run stops there (reported after the files before it).
    /// </summary>
    public WalArchiverQueue Screen(WalArchiver archiver, WalArchiverQueue batch)
    {
        for (var i = 0; i < batch.Files.Count; i++)
        {
            var wal = batch.Files[i];
            if (wal.Compression is not null || !IsSegment(wal) || !MayStillGrow(wal))
                continue;
            var header = WalSourceFile.ReadStart(wal.OriginalPath!, WalPageHeader.LongHeaderSize);
            if (header is not null && WalPageHeader.TryRead(header, out var h) && WalPageHeader.IsSupportedMagic(h.Magic)
                && WalHeaderValidator.IsValidSegmentSize(h.SegmentSize) && wal.Size < h.SegmentSize)
                return batch.StopAt(i, ShortDetail(wal.Size, h.SegmentSize));
        }

        return batch;
    }

    /// <summary>The one line saying a file waits, on stdout and in the log.</summary>
    internal void ReportWaiting(WalArchiver archiver, WalFileInfo wal, string detail, double? modifyTime = null)
    {
        var seconds = ((long)Age(modifyTime ?? wal.Time).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var line = $"\tWaiting: {wal.Name} is still being written ({detail}, modified {seconds} s ago): "
            + $"left in {Path.GetFileName(archiver.SourceDirectory)} for the next run";
        archiver.Context.Output.Info(line);
        archiver.Log.Information("{Server}/{Name} may still be being written ({Detail}): left in {Directory}, the run stops there",
            archiver.Context.ServerName, wal.Name, detail, archiver.SourceDirectory);
    }

    /// <summary>
    /// The plain segments in <paramref name="directory"/> shorter than the segment size their own header
    /// claims, in name order: what a copy may still be writing (for <c>check</c>).
    /// </summary>
    public static IReadOnlyList<(string Name, long Size, long SegmentSize, double ModifyTime)> FindShortSegments(string directory)
    {
        var found = new List<(string, long, long, double)>();
        if (!Directory.Exists(directory))
            return found;
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!WalName.TryParse(name, out var parsed) || parsed.Kind != WalFileKind.Segment || FileStatus.TryGet(path) is not { IsRegularFile: true } status)
                continue;
            byte[]? header;
            try
            {
                header = WalSourceFile.ReadStart(path, WalPageHeader.LongHeaderSize);
            }
            catch (WalSourceReadException)
            {
                continue; // archive-wal reports it
            }

            if (header is not null && WalPageHeader.TryRead(header, out var h) && WalPageHeader.IsSupportedMagic(h.Magic)
                && WalHeaderValidator.IsValidSegmentSize(h.SegmentSize) && status.Size < h.SegmentSize)
                found.Add((name, status.Size, h.SegmentSize, status.PythonModifyTime));
        }

        return found;
    }

    /// <summary>"N of M bytes".</summary>
    internal static string ShortDetail(long size, long segmentSize) =>
        string.Create(CultureInfo.InvariantCulture, $"{size} of {segmentSize} bytes");

    /// <summary>
    /// After its copy was staged: null when the source still has the size and mtime it was listed with
    /// (so the copy is of the file that was judged complete); else what changed. A vanished source is
    /// not a change: its copy is complete.
    /// </summary>
    public static string? ChangedSinceListing(string source, long listedSize, double listedTime)
    {
        var now = FileStatus.TryGet(source);
        if (now is null || (now.Value.Size == listedSize && now.Value.PythonModifyTime.Equals(listedTime)))
            return null;
        return now.Value.Size == listedSize
            ? "changed while it was being archived"
            : string.Create(CultureInfo.InvariantCulture, $"{listedSize} bytes when listed, {now.Value.Size} now");
    }
}

using Barman.Wal.Xlog;

namespace Barman.Wal.Streaming;

/// <summary>
/// Before pg_receivewal starts, empties the newest <c>.partial</c> when its size is neither 0 nor the
/// segment size, which pg_receivewal would refuse (spec: receive-wal §6).
/// </summary>
public static class PartialFileTruncation
{
    /// <summary>The newest valid partial file in <paramref name="streamingDirectory"/>, or null.</summary>
    public static string? NewestPartial(string streamingDirectory) =>
        Directory.Exists(streamingDirectory)
            ? Directory.EnumerateFiles(streamingDirectory, "*.partial")
                .Where(WalName.IsPartialFile)
                .OrderByDescending(Path.GetFileName, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

    /// <summary>True when a partial of <paramref name="size"/> bytes must be truncated (unknown segment size: any non-empty one).</summary>
    public static bool NeedsTruncation(long size, long? segmentSize) => size != 0 && size != segmentSize;

    /// <summary>
    /// Truncates the newest partial to 0 bytes when its size is wrong; returns Barman's line
    /// (<c>Truncating partial file …</c>) or null when nothing was done.
    /// </summary>
    public static string? Run(string streamingDirectory, long? segmentSize)
    {
        var newest = NewestPartial(streamingDirectory);
        if (newest is null)
            return null;
        var size = new FileInfo(newest).Length;
        if (!NeedsTruncation(size, segmentSize))
            return null;
        var expected = segmentSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None";
        var line = $"Truncating partial file {newest} that has wrong size {size} while {expected} was expected.";
        using (var stream = new FileStream(newest, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(0);
            stream.Flush(flushToDisk: true);
        }

        return line;
    }
}

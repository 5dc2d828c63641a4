using Barman.Wal.Xlog;

namespace Barman.Wal.Status;

/// <summary>
/// What waits in an incoming or streaming directory: files that archive-wal will take (no leading dot, no
/// <c>.tmp</c>; in streaming, not the <c>.partial</c> segment pg_receivewal is writing).
/// </summary>
/// <param name="Files">How many.</param>
/// <param name="Bytes">Their total size.</param>
/// <param name="OldestAge">Age of the oldest one (by modification time), null when the queue is empty.</param>
public sealed record QueueStatus(int Files, long Bytes, TimeSpan? OldestAge)
{
    /// <summary>Measures <paramref name="directory"/> (missing: empty).</summary>
    public static QueueStatus Measure(string directory, bool streaming, DateTimeOffset now)
    {
        var info = new DirectoryInfo(directory);
        if (!info.Exists)
            return new QueueStatus(0, 0, null);
        var files = info.EnumerateFiles()
            .Where(f => !f.Name.StartsWith('.') && !f.Name.EndsWith(".tmp", StringComparison.Ordinal))
            .Where(f => !streaming || !WalName.IsPartialFile(f.Name))
            .ToList();
        if (files.Count == 0)
            return new QueueStatus(0, 0, null);
        var oldest = files.Min(f => f.LastWriteTimeUtc);
        return new QueueStatus(files.Count, files.Sum(f => f.Length), now - new DateTimeOffset(oldest, TimeSpan.Zero));
    }
}

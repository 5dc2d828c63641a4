using Barman.Wal.Catalog;
using Barman.Wal.Platform;
using Barman.Wal.Storage;
using Barman.Wal.Xlog;

namespace Barman.Wal.Archiving;

/// <summary>
/// Archives what PostgreSQL's <c>archive_command</c> drops into <c>incoming</c> (spec: archive-wal §3.2):
/// every WAL-named regular file, its compression detected from magic bytes.
/// </summary>
public sealed class FileWalArchiver(WalArchiverContext context, string incomingDirectory, int batchSize)
    : WalArchiver(context, "file archival", incomingDirectory, batchSize)
{
    /// <inheritdoc />
    public override WalArchiverQueue GetNextBatch()
    {
        var (kept, total) = ListBatchEntries();
        var files = new List<WalFileInfo>();
        var unknown = new List<string>();
        foreach (var path in kept)
        {
            if (path.EndsWith(".tmp", StringComparison.Ordinal))
                continue;
            var status = FileStatus.TryGet(path);
            if (status is { IsRegularFile: true } && WalName.IsAnyXlogFile(path))
            {
                var wal = Describe(path, DetectCompression(path));
                if (wal is not null)
                    files.Add(wal);
            }
            else if (FileStatus.TryGet(path, followLinks: false) is not null)
            {
                unknown.Add(path);
            }
        }

        return new WalArchiverQueue(files, unknown, total, Math.Max(BatchOption, 0));
    }

    private string? DetectCompression(string path)
    {
        var reader = Context.Reader;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            Span<byte> header = stackalloc byte[reader.HeaderLength];
            var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return reader.DetectCompression(header[..read]);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalSourceReadException(path, e); // unreadable is not corrupt: the run fails, the file stays
        }
    }
}

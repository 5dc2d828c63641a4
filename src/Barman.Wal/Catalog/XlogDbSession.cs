using System.Text;
using Barman.Wal.Locking;

namespace Barman.Wal.Catalog;

/// <summary>An open catalog under its lock: appends are flushed and fsynced one by one.</summary>
public sealed class XlogDbSession : IDisposable
{
    private readonly LockFile _lock;
    private FileStream? _stream;

    internal XlogDbSession(XlogDbLocation location, LockFile lockFile)
    {
        Location = location;
        _lock = lockFile;
    }

    /// <summary>The catalog file and format in use.</summary>
    public XlogDbLocation Location { get; }

    /// <summary>Appends one line and fsyncs the catalog before returning.</summary>
    public void Append(WalFileInfo wal)
    {
        _stream ??= new FileStream(Location.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096);
        _stream.Write(Encoding.ASCII.GetBytes(XlogDbLine.Format(wal, Location.Columns)));
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// fsyncs the catalog as it is now, so that lines an earlier run wrote (and may have crashed before
    /// fsyncing) are durable before anything relies on them.
    /// </summary>
    public void Sync()
    {
        if (_stream is not null)
            _stream.Flush(flushToDisk: true);
        else if (File.Exists(Location.Path))
            Platform.Durability.SyncFile(Location.Path);
    }

    /// <summary>
    /// Replaces the whole catalog with <paramref name="lines"/> crash-safely: a temporary file beside it is written,
    /// fsynced and renamed over the catalog, then the directory is fsynced — a crash leaves the old or the new
    /// catalog, never a partial one (unlike Barman's in-place copy).
    /// </summary>
    public void Rewrite(IEnumerable<WalFileInfo> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _stream?.Dispose();
        _stream = null;
        var directory = System.IO.Path.GetDirectoryName(Location.Path)!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Location.Path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                foreach (var wal in lines)
                    stream.Write(Encoding.ASCII.GetBytes(XlogDbLine.Format(wal, Location.Columns)));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Location.Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        Platform.Durability.SyncDirectory(directory);
    }

    /// <summary>Every line now in the catalog.</summary>
    public IReadOnlyList<WalFileInfo> ReadAll() => XlogDb.ReadLines(Location.Path);

    /// <summary>Closes the file and releases the catalog lock.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        _lock.Dispose();
    }
}

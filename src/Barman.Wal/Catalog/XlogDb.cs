using System.Text;
using Barman.Wal.Locking;
using Barman.Wal.Platform;
using Barman.Wal.Xlog;

namespace Barman.Wal.Catalog;

/// <summary>
/// The WAL catalog of one server (spec: xlogdb). Every access holds the blocking catalog lock; a
/// missing catalog is rebuilt from the archive first, as Barman 3.13+ does.
/// </summary>
public sealed class XlogDb(
    string serverName,
    string walsDirectory,
    string? xlogdbDirectory,
    string lockDirectory,
    IStoredWalInspector inspector)
{
    /// <summary>The server this catalog belongs to.</summary>
    public string ServerName { get; } = serverName;

    /// <summary>The catalog file in use (modern or legacy), decided from what exists now.</summary>
    public XlogDbLocation Location => XlogDbLocation.Resolve(ServerName, walsDirectory, xlogdbDirectory);

    /// <summary>Takes the catalog lock (waiting) and opens the catalog for appending.</summary>
    public Task<XlogDbSession> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(rebuildIfMissing: true, cancellationToken);

    /// <summary>
    /// Takes the catalog lock (waiting); a missing catalog is rebuilt silently first, or — for rebuild-xlogdb,
    /// <paramref name="rebuildIfMissing"/> false — only its directory is created and the pre-3.13 legacy file is
    /// dropped, as Barman does before its own walk.
    /// </summary>
    public async Task<XlogDbSession> OpenAsync(bool rebuildIfMissing, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(lockDirectory);
        var lockFile = await LockFile.AcquireAsync(ServerLocks.XlogDb(lockDirectory, ServerName), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var location = Location;
            if (!File.Exists(location.Path) && rebuildIfMissing)
                Rebuild(location);
            else if (!File.Exists(location.Path))
                PrepareModernCatalog(location);
            return new XlogDbSession(location, lockFile);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Reads every line of the catalog under the lock.</summary>
    /// <exception cref="XlogDbFormatException">A line Barman could not parse, with its line number.</exception>
    public async Task<IReadOnlyList<WalFileInfo>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        using var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return ReadLines(session.Location.Path);
    }

    internal static List<WalFileInfo> ReadLines(string path)
    {
        var result = new List<WalFileInfo>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            Archiving.MemoryBudget.Tick();
            try
            {
                result.Add(XlogDbLine.Parse(line + "\n"));
            }
            catch (FormatException e)
            {
                throw new XlogDbFormatException(path, number, e.Message);
            }
        }

        return result;
    }

    /// <summary>
    /// Re-derives the catalog from the files in <c>wals_directory</c> (Barman's rebuild-xlogdb), in
    /// place; must be called under the catalog lock.
    /// </summary>
    internal void Rebuild(XlogDbLocation location)
    {
        var directory = System.IO.Path.GetDirectoryName(location.Path)!;
        var created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        if (!location.IsLegacy)
        {
            var legacy = XlogDbLocation.LegacyPath(walsDirectory);
            if (File.Exists(legacy) && legacy != location.Path)
                File.Delete(legacy);
        }

        var content = new StringBuilder();
        foreach (var wal in WalkArchive(System.IO.Path.GetFileName(location.Path)))
            content.Append(XlogDbLine.Format(wal, location.Columns));

        using (var stream = new FileStream(location.Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
        {
            var bytes = Encoding.ASCII.GetBytes(content.ToString());
            stream.Write(bytes);
            stream.SetLength(bytes.Length);
            stream.Flush(flushToDisk: true);
        }

        Durability.SyncDirectory(directory);
        if (created)
            Durability.SyncDirectory(System.IO.Path.GetDirectoryName(directory) ?? directory);
    }

    private void PrepareModernCatalog(XlogDbLocation location)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(location.Path)!);
        var legacy = XlogDbLocation.LegacyPath(walsDirectory);
        if (!location.IsLegacy && File.Exists(legacy) && legacy != location.Path)
            File.Delete(legacy);
    }

    private IEnumerable<WalFileInfo> WalkArchive(string catalogFileName)
    {
        if (!Directory.Exists(walsDirectory))
            yield break;
        foreach (var entry in SortedEntries(walsDirectory))
        {
            var name = System.IO.Path.GetFileName(entry);
            if (name.StartsWith(catalogFileName, StringComparison.Ordinal))
                continue;
            if (Directory.Exists(entry))
            {
                foreach (var inner in SortedEntries(entry))
                {
                    if (File.Exists(inner) && (WalName.IsWalFile(inner) || WalName.IsBackupFile(inner)))
                        yield return Describe(inner);
                }
            }
            else if (WalName.IsHistoryFile(entry))
            {
                yield return Describe(entry);
            }
        }
    }

    private WalFileInfo Describe(string path)
    {
        var status = FileStatus.TryGet(path) ?? throw new FileNotFoundException(path);
        var encrypted = inspector.IsEncrypted(path);
        return new WalFileInfo
        {
            Name = System.IO.Path.GetFileName(path),
            Size = status.Size,
            Time = status.PythonModifyTime,
            Compression = encrypted ? null : inspector.DetectCompression(path),
            Encryption = encrypted ? "gpg" : null,
        };
    }

    private static IEnumerable<string> SortedEntries(string directory)
    {
        var entries = Directory.GetFileSystemEntries(directory);
        Array.Sort(entries, StringComparer.Ordinal);
        return entries;
    }
}

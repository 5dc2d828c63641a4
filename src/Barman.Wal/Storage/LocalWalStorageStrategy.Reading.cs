using System.Runtime.CompilerServices;
using Barman.Wal.Xlog;

namespace Barman.Wal.Storage;

/// <summary>The read side of the local strategy: listing, finding and opening what is stored.</summary>
public sealed partial class LocalWalStorageStrategy
{
    /// <inheritdoc />
    /// <remarks>
    /// Barman's walk (spec: rebuild-xlogdb §2): the top-level entries of <c>wals_directory</c> in ordinal
    /// order; every directory's entries in ordinal order (a directory there is reported with
    /// <see cref="StoredObject.IsDirectory"/>); symbolic links are followed. A missing archive lists nothing.
    /// </remarks>
    public override async IAsyncEnumerable<StoredObject> ListStoredAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(WalsDirectory))
            yield break;
        foreach (var top in SortedEntries(WalsDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var topName = Path.GetFileName(top);
            if (!Directory.Exists(top))
            {
                if (Describe(top, topName, topName) is { } file)
                    yield return file;
                continue;
            }

            foreach (var entry in SortedEntries(top))
            {
                var name = Path.GetFileName(entry);
                if (Describe(entry, topName + "/" + name, name) is { } stored)
                    yield return stored;
            }

            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public override Task<StoredObject?> FindStoredAsync(string name, CancellationToken cancellationToken = default)
    {
        var relative = WalName.Parse(name).RelativePath.Replace(Path.DirectorySeparatorChar, '/');
        var path = Path.Combine(WalsDirectory, relative);
        var stored = Describe(path, relative, Path.GetFileName(path));
        return Task.FromResult(stored is { IsDirectory: false } ? stored : null);
    }

    /// <inheritdoc />
    public override Task<Stream> OpenStoredAsync(StoredObject stored, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Task.FromResult<Stream>(OpenSequential(stored.Location));
    }

    private static StoredObject? Describe(string path, string relative, string name)
    {
        var info = new FileInfo(path);
        if (info.Exists)
        {
            var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            return new StoredObject(relative, name, path, target.Exists ? target.Length : 0, target.LastWriteTimeUtc);
        }

        return Directory.Exists(path)
            ? new StoredObject(relative, name, path, 0, Directory.GetLastWriteTimeUtc(path), IsDirectory: true)
            : null;
    }

    private static string[] SortedEntries(string directory)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(directory);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }

        Array.Sort(entries, StringComparer.Ordinal);
        return entries;
    }
}

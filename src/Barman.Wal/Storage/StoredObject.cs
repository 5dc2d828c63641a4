namespace Barman.Wal.Storage;

/// <summary>
/// One entry of a strategy's storage, as listed or found by name: what restore, verification, retention
/// and catalog rebuilds read. Opened through <see cref="WalStorageStrategy.OpenStoredAsync"/>.
/// </summary>
/// <param name="RelativePath">
/// The path below <c>wals_directory</c> (local) or below <c>prefix/server/wals/</c> (cloud), <c>/</c>-separated:
/// <c>0000000100000000/000000010000000000000001</c>, <c>00000002.history</c>, or <c>…/…01.gz</c> in the cloud.
/// </param>
/// <param name="Name">The file name without a cloud storage extension (<c>.gz</c>, <c>.zst</c>…): for WAL, the WAL name.</param>
/// <param name="Location">The full local path or object key, for messages and deletion.</param>
/// <param name="Size">The stored size in bytes.</param>
/// <param name="Modified">The stored object's modification time (local mtime, or S3 last-modified).</param>
/// <param name="CompressionFromExtension">Cloud only: the compression the key's extension names, else null.</param>
/// <param name="IsDirectory">A directory found where a file was expected (inside a hash directory); local only.</param>
public sealed record StoredObject(
    string RelativePath,
    string Name,
    string Location,
    long Size,
    DateTimeOffset Modified,
    string? CompressionFromExtension = null,
    bool IsDirectory = false)
{
    /// <summary>True when the entry sits at the top level (history files), not inside a hash directory.</summary>
    public bool IsTopLevel => !RelativePath.Contains('/', StringComparison.Ordinal);
}

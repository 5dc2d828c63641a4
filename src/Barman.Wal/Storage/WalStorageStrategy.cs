using Barman.Wal.Catalog;

namespace Barman.Wal.Storage;

/// <summary>
/// Where archived WAL is kept (spec: storage): a local directory or a cloud bucket. Storing is two
/// steps so that several files can be staged at once while they are committed, catalogued and
/// removed from the source directory strictly in WAL order.
/// </summary>
/// <remarks>A strategy never removes the source and never writes the catalog: the archiver does
/// both, in that order, only after <see cref="CommitAsync"/> returned.</remarks>
public abstract class WalStorageStrategy
{
    /// <summary>The local path or object key a WAL name is stored at.</summary>
    public abstract string GetFullPath(string name);

    /// <summary>True when something is stored at <paramref name="fullPath"/>.</summary>
    public abstract Task<bool> ExistsAsync(string fullPath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks for a duplicate and writes the (compressed, encrypted) bytes under a name that is not
    /// final yet. The source is only read.
    /// </summary>
    public abstract Task<StagedWal> StageAsync(WalFileInfo wal, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a staged file in place and makes it durable. For a matching duplicate, makes the copy already
    /// stored durable (an earlier run may have crashed before doing so); a no-op for a differing duplicate.
    /// </summary>
    public abstract Task CommitAsync(StagedWal staged, CancellationToken cancellationToken = default);

    /// <summary>Removes whatever <see cref="StageAsync"/> left, when the file will not be committed.</summary>
    public abstract Task AbandonAsync(StagedWal staged, CancellationToken cancellationToken = default);

    /// <summary>Deletes stored files (retention); returns the names deleted.</summary>
    public abstract Task<IReadOnlyList<string>> DeleteAsync(
        IReadOnlyList<WalFileInfo> wals, CancellationToken cancellationToken = default);

    /// <summary>
    /// A catalog record describing what is stored under <paramref name="name"/> (size, time, compression,
    /// encryption, read from the stored object), or null when nothing is stored.
    /// </summary>
    public abstract Task<WalFileInfo?> DescribeStoredAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every entry stored for the server, ordered ordinally by <see cref="StoredObject.RelativePath"/>: WAL,
    /// history files, backup labels, partial files and anything else found (callers classify by name).
    /// Streams the listing: memory stays flat however large the archive.
    /// </summary>
    public abstract IAsyncEnumerable<StoredObject> ListStoredAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// What is stored under WAL name <paramref name="name"/> (a segment, history file, backup label or
    /// partial file), or null when nothing is. The cloud strategy tries every extension barman-cloud-wal-restore
    /// reads, the configured compression's first.
    /// </summary>
    public abstract Task<StoredObject?> FindStoredAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored bytes of <paramref name="stored"/> exactly as kept (still compressed and encrypted), for a
    /// sequential read; see <see cref="StoredWalDecoder"/> for the plain WAL. Throws
    /// <see cref="FileNotFoundException"/> when it vanished since it was listed.
    /// </summary>
    public abstract Task<Stream> OpenStoredAsync(StoredObject stored, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refuses a configuration this strategy cannot store with, before any hook script runs
    /// (e.g. the cloud strategy and external compressors, spec: storage §4.3).
    /// </summary>
    public virtual void EnsureCanStore()
    {
    }

    /// <summary>Stage then commit: the whole of Barman's <c>save</c> except hooks and source removal.</summary>
    public async Task<StagedWal> SaveAsync(WalFileInfo wal, CancellationToken cancellationToken = default)
    {
        var staged = await StageAsync(wal, cancellationToken).ConfigureAwait(false);
        try
        {
            await CommitAsync(staged, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbandonAsync(staged, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return staged;
    }
}

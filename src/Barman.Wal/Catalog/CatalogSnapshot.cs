using Barman.Wal.Configuration;
using Barman.Wal.Hosting;
using Barman.Wal.Locking;

namespace Barman.Wal.Catalog;

/// <summary>
/// A read-only copy of a server's WAL catalog for reports (check, status): read under the catalog lock so a
/// line being appended is never seen half-written; a missing catalog reads as empty and is not rebuilt.
/// </summary>
internal static class CatalogSnapshot
{
    /// <summary>Every catalog line of <paramref name="server"/>, in file order.</summary>
    /// <exception cref="XlogDbFormatException">A damaged line.</exception>
    public static async Task<IReadOnlyList<WalFileInfo>> ReadAsync(ServerOptions server, CancellationToken ct)
    {
        var location = XlogDbLocation.Resolve(server.Name, ServerStorageFactory.LocalWalsDirectory(server), server.XlogdbDirectory);
        if (!File.Exists(location.Path))
            return [];
        Directory.CreateDirectory(server.BarmanLockDirectory);
        using var held = await LockFile.AcquireAsync(ServerLocks.XlogDb(server.BarmanLockDirectory, server.Name), ct).ConfigureAwait(false);
        return File.Exists(location.Path) ? XlogDb.ReadLines(location.Path) : [];
    }
}

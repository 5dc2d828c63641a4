using Barman.Wal.Configuration;
using Barman.Wal.Restore;

namespace Barman.Wal.Hosting;

/// <summary>
/// Builds what get-wal reads a server's archive with: the strategy and decoder of
/// <see cref="ServerStorageFactory.CreateReader"/>, as verify-wal reads it.
/// </summary>
public sealed class ServerRestoreFactory(ServerStorageFactory storages) : IServerRestoreFactory
{
    /// <inheritdoc />
    public RestoreArchive Create(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var reader = storages.CreateReader(server);
        return new RestoreArchive(server, reader.Strategy, reader.Decoder, server.UsesCloudWalStorage);
    }
}

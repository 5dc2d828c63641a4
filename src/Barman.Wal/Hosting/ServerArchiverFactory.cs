using Barman.Wal.Archiving;
using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Encryption;
using Barman.Wal.Hooks;
using Barman.Wal.Output;
using Serilog;

namespace Barman.Wal.Hosting;

/// <summary>
/// Builds a server's archivers: the storage strategy is the keyed <see cref="IWalStorageStrategyFactory"/>
/// registered for <c>local</c> or <c>cloud</c>, decided by <c>wals_directory</c>.
/// </summary>
public sealed class ServerArchiverFactory(
    ServerStorageFactory storages,
    WalPipelineFactory pipelines,
    IArchiveHooksFactory hooks,
    BarmanOutput output,
    ILogger logger,
    TimeProvider clock) : IServerArchiverFactory
{
    /// <inheritdoc />
    public IReadOnlyList<WalArchiver> CreateArchivers(ServerOptions server)
    {
        RefuseLegacyCatalogEncryption(server);
        var growing = GrowingSegmentPolicy.Create(server, clock);
        var (storage, catalog, _) = storages.Create(server);
        var context = new WalArchiverContext(
            server.Name,
            catalog,
            storage,
            hooks.Create(server),
            new ErrorsDirectory(server.ErrorsDirectory, clock),
            pipelines.IncomingReader(server),
            output,
            logger,
            Math.Max(2, Environment.ProcessorCount))
        {
            HeaderGate = WalHeaderGate.Create(server, pipelines.IncomingReader(server), growing),
            Growing = growing,
        };

        var archivers = new List<WalArchiver>(2);
        if (server.StreamingArchiver)
            archivers.Add(new StreamingWalArchiver(context, server.StreamingWalsDirectory, (int)server.StreamingArchiverBatchSize));
        if (server.Archiver)
            archivers.Add(new FileWalArchiver(context, server.IncomingWalsDirectory, (int)server.ArchiverBatchSize));
        return archivers;
    }

    /// <summary>A 4-column legacy catalog cannot record encryption: refuse <c>encryption = gpg</c> (spec: xlogdb §6).</summary>
    private static void RefuseLegacyCatalogEncryption(ServerOptions server)
    {
        if (server.Encryption is null || server.UsesCloudWalStorage)
            return;
        var location = XlogDbLocation.Resolve(server.Name, server.WalsDirectory, server.XlogdbDirectory);
        if (location.IsLegacy)
            throw new LegacyCatalogEncryptionException(server.Name, location.Path);
    }
}

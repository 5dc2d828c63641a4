using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Hosting;

/// <summary>A server's archive as the commands use it: the storage strategy, its catalog and its pipeline.</summary>
/// <param name="Strategy">The keyed <see cref="IWalStorageStrategyFactory"/>'s strategy (local or cloud).</param>
/// <param name="Catalog">The server's xlog.db (for a cloud server: under the server directory's <c>wals</c>).</param>
/// <param name="Pipeline">Compression, encryption and content recognition of the server.</param>
public sealed record ServerStorage(WalStorageStrategy Strategy, XlogDb Catalog, WalPipeline Pipeline);

/// <summary>
/// Builds <see cref="ServerStorage"/> for a server: the strategy registered for <c>local</c> or <c>cloud</c>, decided
/// by <c>wals_directory</c>. Shared by archive-wal, purge-wal and rebuild-xlogdb.
/// </summary>
public sealed class ServerStorageFactory(IServiceProvider services, WalPipelineFactory pipelines)
{
    /// <summary>The strategy, catalog and pipeline of <paramref name="server"/>.</summary>
    public ServerStorage Create(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var kind = server.UsesCloudWalStorage ? StorageKinds.Cloud : StorageKinds.Local;
        var pipeline = pipelines.Create(server);
        var strategy = services.GetRequiredKeyedService<IWalStorageStrategyFactory>(kind).Create(server, pipeline);
        var catalog = new XlogDb(server.Name, LocalWalsDirectory(server), server.XlogdbDirectory, server.BarmanLockDirectory,
            new ContentReaderInspector(pipeline.Reader));
        return new ServerStorage(strategy, catalog, pipeline);
    }

    /// <summary>Where the local catalog lives for a cloud server: the server directory's <c>wals</c>.</summary>
    public static string LocalWalsDirectory(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.UsesCloudWalStorage ? Path.Combine(server.BackupDirectory, "wals") : server.WalsDirectory;
    }
}

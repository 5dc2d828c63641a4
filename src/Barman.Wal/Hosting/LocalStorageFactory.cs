using Barman.Wal.Configuration;
using Barman.Wal.Hooks;
using Barman.Wal.Storage;

namespace Barman.Wal.Hosting;

/// <summary>The local directory strategy, with the server's wal-delete hooks.</summary>
public sealed class LocalStorageFactory(IWalDeleteHooksFactory deleteHooks, Serilog.ILogger logger) : IWalStorageStrategyFactory
{
    /// <inheritdoc />
    public WalStorageStrategy Create(ServerOptions server, WalPipeline pipeline) =>
        new LocalWalStorageStrategy(server.WalsDirectory, pipeline, deleteHooks.CreateDeleteHooks(server), server.Name,
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.storage"));
}

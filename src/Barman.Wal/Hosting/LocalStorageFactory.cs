using Barman.Wal.Configuration;
using Barman.Wal.Storage;

namespace Barman.Wal.Hosting;

/// <summary>The local directory strategy.</summary>
public sealed class LocalStorageFactory : IWalStorageStrategyFactory
{
    /// <inheritdoc />
    public WalStorageStrategy Create(ServerOptions server, WalPipeline pipeline) =>
        new LocalWalStorageStrategy(server.WalsDirectory, pipeline);
}

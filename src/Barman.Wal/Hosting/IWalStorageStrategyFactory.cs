using Barman.Wal.Configuration;
using Barman.Wal.Storage;

namespace Barman.Wal.Hosting;

/// <summary>Creates the storage strategy for one server.</summary>
public interface IWalStorageStrategyFactory
{
    /// <summary>The strategy for <paramref name="server"/>, storing through <paramref name="pipeline"/>.</summary>
    WalStorageStrategy Create(ServerOptions server, WalPipeline pipeline);
}

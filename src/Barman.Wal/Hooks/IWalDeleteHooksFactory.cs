using Barman.Wal.Configuration;

namespace Barman.Wal.Hooks;

/// <summary>Builds the wal-delete hook bracket configured for a server (for every storage strategy).</summary>
public interface IWalDeleteHooksFactory
{
    /// <summary>The wal-delete hooks of <paramref name="server"/>.</summary>
    IWalDeleteHooks CreateDeleteHooks(ServerOptions server);
}

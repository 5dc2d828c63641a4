using Barman.Wal.Configuration;

namespace Barman.Wal.Hooks;

/// <summary>Builds the archive hook bracket configured for a server.</summary>
public interface IArchiveHooksFactory
{
    /// <summary>The hooks of <paramref name="server"/>.</summary>
    IArchiveHooks Create(ServerOptions server);
}

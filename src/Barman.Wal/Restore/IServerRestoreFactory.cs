using Barman.Wal.Configuration;

namespace Barman.Wal.Restore;

/// <summary>Builds the <see cref="RestoreArchive"/> of a server (DI: Hosting/ServerRestoreFactory).</summary>
public interface IServerRestoreFactory
{
    /// <summary>The archive of <paramref name="server"/>, read through its storage strategy.</summary>
    RestoreArchive Create(ServerOptions server);
}

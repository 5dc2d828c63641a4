using Barman.Wal.Configuration;

namespace Barman.Wal.Archiving;

/// <summary>Builds a server's archivers (streaming first, then file) with the storage its configuration picks.</summary>
public interface IServerArchiverFactory
{
    /// <summary>The archivers to run for <paramref name="server"/>, in Barman's fixed order.</summary>
    IReadOnlyList<WalArchiver> CreateArchivers(ServerOptions server);
}

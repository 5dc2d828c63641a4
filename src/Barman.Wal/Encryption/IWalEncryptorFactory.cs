using Barman.Wal.Configuration;
using Barman.Wal.Storage;

namespace Barman.Wal.Encryption;

/// <summary>Builds the encryption stage a server's <c>encryption</c> option asks for.</summary>
public interface IWalEncryptorFactory
{
    /// <summary>The encryption stage, or null when <c>encryption</c> is unset.</summary>
    IWalTransform? Create(ServerOptions server);
}

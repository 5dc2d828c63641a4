using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Storage;

namespace Barman.Wal.Encryption;

/// <summary>Builds the gpg stage for <c>encryption = gpg</c>.</summary>
public sealed class GpgEncryptorFactory : IWalEncryptorFactory
{
    /// <inheritdoc />
    public IWalTransform? Create(ServerOptions server) =>
        server.Encryption is null ? null : throw new EncryptionUnavailableException(server.Encryption);
}

/// <summary>The configured encryption cannot be applied by this build.</summary>
public sealed class EncryptionUnavailableException(string encryption)
    : BarmanWalException($"encryption = {encryption} is not supported by this barman-wal build");

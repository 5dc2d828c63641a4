using Barman.Wal.Configuration;
using Barman.Wal.Storage;
using Serilog;

namespace Barman.Wal.Encryption;

/// <summary>Builds the gpg stage for <c>encryption = gpg</c>.</summary>
/// <remarks>
/// Like Barman's archive-wal, nothing is validated when the stage is built (spec: hooks-encryption §5):
/// a missing <c>encryption_key_id</c> or gpg binary fails the first file.
/// </remarks>
public sealed class GpgEncryptorFactory(ILogger logger) : IWalEncryptorFactory
{
    /// <inheritdoc />
    public IWalTransform? Create(ServerOptions server) =>
        server.Encryption switch
        {
            null => null,
            "gpg" => new GpgEncryptor(server.EncryptionKeyId, server.PathPrefix, logger),
            var other => throw new EncryptionUnavailableException(other),
        };
}

using Barman.Wal.Configuration;
using Barman.Wal.Encryption;
using Barman.Wal.Restore;
using Barman.Wal.Storage;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace Barman.Wal.Hosting;

/// <summary>
/// Builds what get-wal reads a server's archive with: the storage strategy (the keyed
/// <see cref="IWalStorageStrategyFactory"/> for <c>local</c> or <c>cloud</c>, as archiving uses) and the
/// decoder (gpg through <c>encryption_passphrase_command</c>, then the codec by magic).
/// </summary>
public sealed class ServerRestoreFactory(IServiceProvider services, WalPipelineFactory pipelines, ILogger logger) : IServerRestoreFactory
{
    /// <inheritdoc />
    public RestoreArchive Create(ServerOptions server)
    {
        var kind = server.UsesCloudWalStorage ? StorageKinds.Cloud : StorageKinds.Local;
        var pipeline = pipelines.CreateForReading(server);
        var storage = services.GetRequiredKeyedService<IWalStorageStrategyFactory>(kind).Create(server, pipeline);
        IWalTransform? decryptor = string.IsNullOrEmpty(server.EncryptionPassphraseCommand)
            ? null
            : new GpgDecryptor(server.EncryptionPassphraseCommand, server.PathPrefix, logger);
        return new RestoreArchive(server, storage, new StoredWalDecoder(pipeline.Reader, decryptor), kind == StorageKinds.Cloud);
    }
}

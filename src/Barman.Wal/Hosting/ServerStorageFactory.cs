using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Encryption;
using Barman.Wal.Storage;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace Barman.Wal.Hosting;

/// <summary>A server's archive as the commands use it: the storage strategy, its catalog and its pipeline.</summary>
/// <param name="Strategy">The keyed <see cref="IWalStorageStrategyFactory"/>'s strategy (local or cloud).</param>
/// <param name="Catalog">The server's xlog.db (for a cloud server: under the server directory's <c>wals</c>).</param>
/// <param name="Pipeline">Compression, encryption and content recognition of the server.</param>
public sealed record ServerStorage(WalStorageStrategy Strategy, XlogDb Catalog, WalPipeline Pipeline);

/// <summary>A server's archive opened for reading back: the strategy and the decoder of stored bytes.</summary>
/// <param name="Strategy">The keyed <see cref="IWalStorageStrategyFactory"/>'s strategy (local or cloud).</param>
/// <param name="Decoder">gpg (when <c>encryption_passphrase_command</c> is set), then the codec by magic.</param>
/// <param name="CanDecrypt">True when an <c>encryption_passphrase_command</c> is configured.</param>
public sealed record ServerArchiveReader(WalStorageStrategy Strategy, StoredWalDecoder Decoder, bool CanDecrypt);

/// <summary>
/// Builds <see cref="ServerStorage"/> for a server: the strategy registered for <c>local</c> or <c>cloud</c>, decided
/// by <c>wals_directory</c>. The one place a strategy is made: archive-wal, purge-wal, rebuild-xlogdb, get-wal and
/// verify-wal all come through here.
/// </summary>
public sealed class ServerStorageFactory(IServiceProvider services, WalPipelineFactory pipelines, ILogger logger)
{
    /// <summary>The strategy, catalog and pipeline of <paramref name="server"/>.</summary>
    public ServerStorage Create(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var kind = server.UsesCloudWalStorage ? StorageKinds.Cloud : StorageKinds.Local;
        var pipeline = pipelines.Create(server);
        var strategy = services.GetRequiredKeyedService<IWalStorageStrategyFactory>(kind).Create(server, pipeline);
        var catalog = new XlogDb(server.Name, LocalWalsDirectory(server), server.XlogdbDirectory, server.BarmanLockDirectory,
            new ContentReaderInspector(pipeline.Reader));
        return new ServerStorage(strategy, catalog, pipeline);
    }

    /// <summary>
    /// The strategy and decoder that read <paramref name="server"/>'s archive back (restore, verification): the
    /// configured codec only names the preferred stored form, decoding goes by magic, gpg when configured.
    /// </summary>
    public ServerArchiveReader CreateReader(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var kind = server.UsesCloudWalStorage ? StorageKinds.Cloud : StorageKinds.Local;
        var pipeline = pipelines.CreateForReading(server);
        var strategy = services.GetRequiredKeyedService<IWalStorageStrategyFactory>(kind).Create(server, pipeline);
        IWalTransform? decryptor = server.EncryptionPassphraseCommand is { Length: > 0 } command
            ? new GpgDecryptor(command, server.PathPrefix, logger)
            : null;
        return new ServerArchiveReader(strategy, new StoredWalDecoder(pipeline.Reader, decryptor), decryptor is not null);
    }

    /// <summary>Where the local catalog lives for a cloud server: the server directory's <c>wals</c>.</summary>
    public static string LocalWalsDirectory(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.UsesCloudWalStorage ? Path.Combine(server.BackupDirectory, "wals") : server.WalsDirectory;
    }
}

using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Hooks;
using Barman.Wal.Platform;
using Serilog;

namespace Barman.Wal.Storage.Cloud;

/// <summary>
/// Stores WAL as S3 objects <c>prefix/server/wals/hashdir/name+ext</c> (spec: storage §4), the layout of
/// barman-cloud-wal-archive. The catalog stays local and is written by the archiver.
/// </summary>
/// <remarks>
/// <para><see cref="StageAsync"/> is the whole store. It looks before it writes: a HEAD of the WAL's key under
/// every compression suffix barman-cloud-wal-restore reads; an object found there is downloaded, decompressed
/// and compared with the source (matching duplicate or duplicate) and nothing is uploaded, so an archived WAL
/// is never replaced, even on stores that ignore conditional writes. Otherwise: read → compress → encrypt →
/// one create-only PUT (<c>If-None-Match: *</c>, for two archivers racing on a store that enforces it) or,
/// from <see cref="CloudStorageOptions.PartSize"/> bytes on, a multipart upload completed create-only. An S3
/// PUT is atomic and durable once answered, so nothing is visible before that and <see cref="CommitAsync"/>
/// has nothing left to do. A refused upload (HTTP 412/409) takes the same comparison.</para>
/// <para><see cref="AbandonAsync"/> deletes an object this instance created but the archiver did not
/// catalogue; if that fails the object stays, and the next run finds a matching duplicate and repairs
/// the catalog line. Safe for concurrent <see cref="StageAsync"/> calls on different WAL names.</para>
/// </remarks>
public sealed partial class CloudWalStorageStrategy : WalStorageStrategy
{
    /// <summary>User metadata holding the source mtime (the catalog time) as a round-trip float.</summary>
    public const string MtimeMetadata = "barman-wal-mtime";

    private static readonly string?[] KnownExtensions = [string.Empty, ".gz", ".bz2", ".xz", ".zst", ".lz4", ".snappy"];

    private readonly IAmazonS3 _client;
    private readonly WalPipeline _pipeline;
    private readonly WalCodecRegistry _registry;
    private readonly CloudStorageOptions _options;
    private readonly ILogger _logger;
    private readonly WalCodec? _compressor;
    private readonly IWalDeleteHooks _deleteHooks;

    /// <summary>Creates the strategy over an S3 client (see <see cref="S3ClientFactory"/>).</summary>
    public CloudWalStorageStrategy(
        IAmazonS3 client,
        CloudWalLocation location,
        WalPipeline pipeline,
        WalCodecRegistry registry,
        CloudStorageOptions options,
        ILogger logger,
        IWalDeleteHooks? deleteHooks = null)
    {
        _deleteHooks = deleteHooks ?? NoWalDeleteHooks.Instance;
        _client = client;
        Location = location;
        _pipeline = pipeline;
        _registry = registry;
        _options = options;
        _logger = logger;
        _compressor = pipeline.Compressor is { } compressor ? registry.Get(compressor.Name) : null;
    }

    /// <summary>The bucket, prefix and server the keys are built from.</summary>
    public CloudWalLocation Location { get; }

    /// <summary>The key of <paramref name="name"/> with the currently configured compression (spec: storage §4.7).</summary>
    public override string GetFullPath(string name) => Location.KeyFor(name, ExtensionOf(_compressor?.Name) ?? string.Empty);

    /// <inheritdoc />
    public override async Task<bool> ExistsAsync(string fullPath, CancellationToken cancellationToken = default)
    {
        try
        {
            return await HeadAsync(fullPath, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (Exception e) when (IsProviderFailure(e, cancellationToken))
        {
            throw new CloudStorageException($"Cannot check {Location.UrlOf(fullPath)}: {Cause(e)}", e);
        }
    }

    /// <inheritdoc />
    public override void EnsureCanStore()
    {
        if (_compressor is { SupportsCloud: false })
            throw new CloudCompressionUnsupportedException();
    }

    /// <inheritdoc />
    public override async Task<StagedWal> StageAsync(WalFileInfo wal, CancellationToken cancellationToken = default)
    {
        EnsureCanStore();
        var source = wal.OriginalPath ?? throw new InvalidOperationException($"{wal.Name} has no source file");
        if (FileStatus.TryGet(source) is null)
            throw new WalSourceVanishedException(source);

        // A source that arrived compressed is kept as it is (spec: storage §4.8, same rule as local).
        var compress = _compressor is not null && wal.Compression is null;
        var compression = compress ? _compressor!.Name : wal.Compression;
        var extension = ExtensionOf(compression) ?? throw new CloudCompressionUnsupportedException();
        var key = Location.KeyFor(wal.Name, extension);
        var stages = new List<IWalTransform>(2);
        if (compress)
            stages.Add(_pipeline.Compressor!);
        if (_pipeline.Encryptor is not null)
            stages.Add(_pipeline.Encryptor);

        try
        {
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stored = (await LookBeforeWriteAsync(wal.Name, extension, cancellationToken).ConfigureAwait(false))?.Key;
                if (stored is null)
                {
                    if (await TryCreateAsync(source, stages, key, wal.Time, cancellationToken).ConfigureAwait(false) is { } size)
                    {
                        wal.Size = size;
                        wal.Compression = compression;
                        wal.Encryption = _pipeline.Encryptor?.Name;
                        FaultInjection.At("after-upload");
                        return new StagedWal(wal, StoreOutcome.Stored, key, key);
                    }

                    stored = key; // refused: another writer created it since the look
                }

                if (await CompareWithStoredAsync(wal, source, stored, cancellationToken).ConfigureAwait(false) is { } outcome)
                    return new StagedWal(wal, outcome, stored, null);
                if (attempt == 3)
                    throw new CloudStorageException($"Cannot archive WAL {wal.Name} to {Location.UrlOf(key)}: the object keeps appearing and vanishing");
            }
        }
        catch (Exception e) when (IsProviderFailure(e, cancellationToken))
        {
            throw new CloudStorageException($"Cannot archive WAL {wal.Name} to {Location.UrlOf(key)}: {Cause(e)}", e);
        }
    }

    /// <summary>Nothing to do: the create-only upload of <see cref="StageAsync"/> already is the durable store.</summary>
    public override Task CommitAsync(StagedWal staged, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public override async Task AbandonAsync(StagedWal staged, CancellationToken cancellationToken = default)
    {
        if (staged.Outcome != StoreOutcome.Stored || staged.StagedPath is null)
            return;
        try
        {
            await _client.DeleteObjectAsync(Location.Bucket, staged.StagedPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsProviderFailure(e, cancellationToken) || e is OperationCanceledException)
        {
            _logger.Warning("Could not remove the uncatalogued object {Url:l}: {Error:l}", Location.UrlOf(staged.StagedPath), Cause(e));
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(Location.Bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is "NotFound" or "NoSuchKey")
        {
            return null;
        }
    }

    private string? ExtensionOf(string? compression) => compression is null ? string.Empty : _registry.Get(compression).FileExtension;

    private static string FormatTime(double time) => time.ToString("R", CultureInfo.InvariantCulture);

    private static FileStream OpenSource(string source)
    {
        try
        {
            return new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, WalCodec.BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new WalSourceVanishedException(source);
        }
    }

    private static bool IsProviderFailure(Exception e, CancellationToken cancellationToken) => CloudFailure.IsProviderFailure(e, cancellationToken);

    private string Cause(Exception e) => CloudFailure.Describe(e, _client);
}

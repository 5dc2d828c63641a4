using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
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
/// <para><see cref="StageAsync"/> is the whole store: read → compress → encrypt → one create-only PUT
/// (<c>If-None-Match: *</c>) or, from <see cref="CloudStorageOptions.PartSize"/> bytes on, a multipart
/// upload completed create-only. An S3 PUT is atomic and durable once answered, so nothing is visible
/// before that and <see cref="CommitAsync"/> has nothing left to do. An existing object (HTTP 412/409)
/// is downloaded, decompressed and compared with the source: matching duplicate or duplicate.</para>
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
                if (await TryCreateAsync(source, stages, key, wal.Time, cancellationToken).ConfigureAwait(false) is { } size)
                {
                    wal.Size = size;
                    wal.Compression = compression;
                    wal.Encryption = _pipeline.Encryptor?.Name;
                    FaultInjection.At("after-upload");
                    return new StagedWal(wal, StoreOutcome.Stored, key, key);
                }

                if (await CompareWithStoredAsync(wal, source, key, cancellationToken).ConfigureAwait(false) is { } outcome)
                    return new StagedWal(wal, outcome, key, null);
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

    /// <summary>
    /// Deletes the objects of <paramref name="wals"/> (keys from each record's catalogued compression) with
    /// DeleteObjects in batches of <c>cloud_delete_batch_size</c> (spec: storage §5.2); returns every name.
    /// </summary>
    public override async Task<IReadOnlyList<string>> DeleteAsync(
        IReadOnlyList<WalFileInfo> wals, CancellationToken cancellationToken = default)
    {
        var keys = wals.Select(w => Location.KeyFor(w.Name, ExtensionOf(w.Compression) ?? string.Empty)).ToList();

        // The wal-delete hooks (spec: storage §5): the pre hooks run for every record before any removal.
        for (var i = 0; i < wals.Count; i++)
            await _deleteHooks.RunPreAsync(wals[i], Location.UrlOf(keys[i]), cancellationToken).ConfigureAwait(false);
        var failed = false;
        try
        {
            foreach (var batch in keys.Chunk(Math.Clamp(_options.DeleteBatchSize, 1, 1000)))
                failed |= !await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsProviderFailure(e, cancellationToken))
        {
            throw new CloudStorageException($"Cannot delete WAL objects from s3://{Location.Bucket}: {Cause(e)}", e);
        }

        if (failed)
            throw new CloudStorageException("Error from cloud provider while deleting objects - please check the command output.");

        // The post hooks run for every record (error empty); none runs when a deletion failed (above).
        for (var i = 0; i < wals.Count; i++)
            await _deleteHooks.RunPostAsync(wals[i], Location.UrlOf(keys[i]), null, cancellationToken).ConfigureAwait(false);
        return wals.Select(w => w.Name).ToList();
    }

    /// <summary>
    /// Describes the stored object of <paramref name="name"/>: size from HEAD, compression from the key's
    /// extension, encryption from its first bytes, time = the source mtime kept in its metadata (the catalog
    /// rule), else the object's last-modified time. Tries the configured compression's key first.
    /// </summary>
    public override async Task<WalFileInfo?> DescribeStoredAsync(string name, CancellationToken cancellationToken = default)
    {
        var preferred = ExtensionOf(_compressor?.Name) ?? string.Empty;
        foreach (var extension in KnownExtensions.Prepend(preferred).Distinct())
        {
            var key = Location.KeyFor(name, extension);
            try
            {
                if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is not { } head)
                    continue;
                var header = await ReadHeaderAsync(key, head.ContentLength, cancellationToken).ConfigureAwait(false);
                var encrypted = _pipeline.Reader.IsEncrypted(header);
                return new WalFileInfo
                {
                    Name = name,
                    Size = head.ContentLength,
                    Time = StoredTime(head),
                    Compression = WalCodecRegistry.FromFileExtension(key),
                    Encryption = encrypted ? "gpg" : null,
                };
            }
            catch (Exception e) when (IsProviderFailure(e, cancellationToken))
            {
                throw new CloudStorageException($"Cannot describe WAL {name} at {Location.UrlOf(key)}: {Cause(e)}", e);
            }
        }

        return null;
    }

    /// <summary>Uploads create-only; the stored size, or null when the key already exists.</summary>
    private async Task<long?> TryCreateAsync(
        string source, IReadOnlyList<IWalTransform> stages, string key, double time, CancellationToken cancellationToken)
    {
        var input = OpenSource(source);
        await using (input.ConfigureAwait(false))
        {
            // Nothing transforms the source: the file itself is the body (seekable, known length), so
            // nothing is buffered; a source of at least one part goes as a multipart upload of file ranges.
            if (stages.Count == 0)
            {
                var length = input.Length;
                if (length < _options.PartSize)
                    return await PutAsync(key, input, time, cancellationToken).ConfigureAwait(false) ? length : null;
                return await MultipartAsync(key, [], input, time, cancellationToken).ConfigureAwait(false);
            }

            using var pumpCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var (payload, pump) = Transform(input, stages, pumpCancel.Token);
            try
            {
                var first = await PartBuffer.FillAsync(payload, _options.PartSize, cancellationToken).ConfigureAwait(false);
                if (first.Length < _options.PartSize)
                {
                    await using (first.ConfigureAwait(false))
                        return await PutAsync(key, first, time, cancellationToken).ConfigureAwait(false) ? first.Length : null;
                }

                var second = await PartBuffer.FillAsync(payload, _options.PartSize, cancellationToken).ConfigureAwait(false);
                if (second.Length == 0)
                {
                    await second.DisposeAsync().ConfigureAwait(false);
                    await using (first.ConfigureAwait(false))
                        return await PutAsync(key, first, time, cancellationToken).ConfigureAwait(false) ? first.Length : null;
                }

                return await MultipartAsync(key, [first, second], payload, time, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await pumpCancel.CancelAsync().ConfigureAwait(false);
                await payload.DisposeAsync().ConfigureAwait(false);
                await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<bool> PutAsync(string key, Stream body, double time, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Location.Bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            IfNoneMatch = "*",
            UseChunkEncoding = _options.UseChunkEncoding,
        };
        if (_options.ServerSideEncryption is { } sse)
            request.ServerSideEncryptionMethod = new ServerSideEncryptionMethod(sse);
        if (_options.KmsKeyId is { } kms)
            request.ServerSideEncryptionKeyManagementServiceKeyId = kms;
        request.Metadata.Add(MtimeMetadata, FormatTime(time));
        try
        {
            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (IsAlreadyExists(e))
        {
            return false;
        }
    }

    /// <summary>
    /// A multipart upload, one part in memory at a time (none when <paramref name="payload"/> is the source
    /// file itself: its parts are file ranges); completed with <c>If-None-Match: *</c>, and checked with
    /// HEAD first because not every S3-compatible server enforces the condition on completion.
    /// </summary>
    private async Task<long?> MultipartAsync(
        string key, PartBuffer[] firstParts, Stream payload, double time, CancellationToken cancellationToken)
    {
        var pending = new Queue<PartBuffer>(firstParts);
        try
        {
            if (await HeadAsync(key, cancellationToken).ConfigureAwait(false) is not null)
                return null;
            var initiate = new InitiateMultipartUploadRequest { BucketName = Location.Bucket, Key = key };
            if (_options.ServerSideEncryption is { } sse)
                initiate.ServerSideEncryptionMethod = new ServerSideEncryptionMethod(sse);
            if (_options.KmsKeyId is { } kms)
                initiate.ServerSideEncryptionKeyManagementServiceKeyId = kms;
            initiate.Metadata.Add(MtimeMetadata, FormatTime(time));
            var upload = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
            try
            {
                var parts = await UploadPartsAsync(key, upload.UploadId, pending, payload, cancellationToken).ConfigureAwait(false);
                await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = Location.Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartETags = parts.ETags,
                    IfNoneMatch = "*",
                }, cancellationToken).ConfigureAwait(false);
                return parts.Total;
            }
            catch (AmazonS3Exception e) when (IsAlreadyExists(e))
            {
                await AbortQuietlyAsync(key, upload.UploadId).ConfigureAwait(false);
                return null;
            }
            catch
            {
                await AbortQuietlyAsync(key, upload.UploadId).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            while (pending.TryDequeue(out var left))
                await left.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Uploads the parts: the buffered ones first, then the rest of the payload part by part.</summary>
    private async Task<(List<PartETag> ETags, long Total)> UploadPartsAsync(
        string key, string uploadId, Queue<PartBuffer> pending, Stream payload, CancellationToken cancellationToken)
    {
        var parts = new List<PartETag>();
        long total = 0;
        if (payload is FileStream file)
        {
            var length = file.Length;
            while (total < length)
            {
                var size = Math.Min(_options.PartSize, length - total);
                var number = parts.Count + 1;
                var request = PartRequest(key, uploadId, number);
                request.FilePath = file.Name;
                request.FilePosition = total;
                request.PartSize = size;
                var part = await _client.UploadPartAsync(request, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, part.ETag));
                total += size;
                FaultInjection.At("mid-upload");
            }

            return (parts, total);
        }

        while (true)
        {
            var chunk = pending.Count > 0 ? pending.Dequeue() : await PartBuffer.FillAsync(payload, _options.PartSize, cancellationToken).ConfigureAwait(false);
            await using (chunk.ConfigureAwait(false))
            {
                if (chunk.Length == 0)
                    return (parts, total);
                var number = parts.Count + 1;
                var request = PartRequest(key, uploadId, number);
                request.InputStream = chunk;
                request.PartSize = chunk.Length;
                var part = await _client.UploadPartAsync(request, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, part.ETag));
                total += chunk.Length;
                FaultInjection.At("mid-upload");
            }
        }
    }

    private UploadPartRequest PartRequest(string key, string uploadId, int number) => new()
    {
        BucketName = Location.Bucket,
        Key = key,
        UploadId = uploadId,
        PartNumber = number,
        UseChunkEncoding = _options.UseChunkEncoding,
    };

    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(Location.Bucket, key, uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (IsProviderFailure(e, CancellationToken.None))
        {
            _logger.Warning("Could not abort the multipart upload of {Url:l}: {Error:l}", Location.UrlOf(key), Cause(e));
        }
    }

    /// <summary>
    /// Compares the stored object (decompressed by its key's extension) with the source (decompressed by its
    /// detected compression): null when the object vanished meanwhile. An encrypted or undecodable object
    /// cannot be compared: duplicate.
    /// </summary>
    private async Task<StoreOutcome?> CompareWithStoredAsync(WalFileInfo wal, string source, string key, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(Location.Bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using (response)
        {
            var reader = _pipeline.Reader;
            var body = response.ResponseStream;
            var header = new byte[reader.HeaderLength];
            var read = await body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (reader.IsEncrypted(header.AsSpan(0, read)))
                return StoreOutcome.Duplicate;

            var storedCompression = WalCodecRegistry.FromFileExtension(key);
            using var decoding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var incoming = OpenSource(source);
            await using (incoming.ConfigureAwait(false))
            {
                var stored = new PrefixedReadStream(header.AsMemory(0, read), body);
                var left = DecodedStream.Open(stored, storedCompression is null ? null : reader.Decompressor(storedCompression), decoding.Token);
                var right = DecodedStream.Open(incoming, wal.Compression is null ? null : reader.Decompressor(wal.Compression), decoding.Token);
                try
                {
                    return await StreamComparer.EqualAsync(left, right, cancellationToken).ConfigureAwait(false)
                        ? StoreOutcome.MatchingDuplicate
                        : StoreOutcome.Duplicate;
                }
                catch (CompressionException e)
                {
                    _logger.Warning("Cannot compare {Url:l} with {Source:l}: {Error:l}", Location.UrlOf(key), source, e.Message);
                    return StoreOutcome.Duplicate;
                }
                finally
                {
                    await decoding.CancelAsync().ConfigureAwait(false);
                    await left.DisposeAsync().ConfigureAwait(false);
                    await right.DisposeAsync().ConfigureAwait(false);
                    await stored.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>One DeleteObjects call; false when some key failed (each logged at ERROR).</summary>
    private async Task<bool> DeleteBatchAsync(string[] batch, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectsRequest
        {
            BucketName = Location.Bucket,
            Quiet = true,
            Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
        };
        List<DeleteError> errors;
        try
        {
            var response = await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
            errors = response.DeleteErrors ?? [];
        }
        catch (DeleteObjectsException e)
        {
            errors = e.Response?.DeleteErrors ?? [];
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "MissingContentMD5")
        {
            // Services that demand Content-MD5 on DeleteObjects get one DeleteObject per key.
            foreach (var key in batch)
                await _client.DeleteObjectAsync(Location.Bucket, key, cancellationToken).ConfigureAwait(false);
            return true;
        }

        foreach (var error in errors)
            _logger.Error("Bulk deletion of object {Key:l} failed with error code: \"{Code:l}\", message: \"{Message:l}\"", error.Key, error.Code, error.Message);
        return errors.Count == 0;
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

    private async Task<byte[]> ReadHeaderAsync(string key, long? length, CancellationToken cancellationToken)
    {
        var wanted = (int)Math.Min(_pipeline.Reader.HeaderLength, length ?? 0);
        if (wanted <= 0)
            return [];
        var request = new GetObjectRequest { BucketName = Location.Bucket, Key = key, ByteRange = new ByteRange(0, wanted - 1) };
        using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var header = new byte[wanted];
        var read = await response.ResponseStream.ReadAtLeastAsync(header, wanted, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return header[..read];
    }

    private string? ExtensionOf(string? compression) => compression is null ? string.Empty : _registry.Get(compression).FileExtension;

    private static double StoredTime(GetObjectMetadataResponse head)
    {
        if (head.Metadata[MtimeMetadata] is { Length: > 0 } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var time))
            return time;
        return head.LastModified is { } modified
            ? new DateTimeOffset(modified.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0
            : 0;
    }

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

    /// <summary>The pipeline's output as a stream (bounded by a pipe).</summary>
    private static (Stream Payload, Task Pump) Transform(Stream input, IReadOnlyList<IWalTransform> stages, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        var pump = Task.Run(() => PumpAsync(input, stages, pipe.Writer, cancellationToken), CancellationToken.None);
        return (pipe.Reader.AsStream(), pump);
    }

    private static async Task PumpAsync(Stream input, IReadOnlyList<IWalTransform> stages, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await WalPipeline.RunAsync(input, stages, writer.AsStream(leaveOpen: true), cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    private static bool IsAlreadyExists(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.PreconditionFailed
        || (e.StatusCode == HttpStatusCode.Conflict && e.ErrorCode == "ConditionalRequestConflict");

    /// <summary>A provider, network or timeout failure (not a cancellation the caller asked for, not a Barman error).</summary>
    private static bool IsProviderFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        Errors.BarmanWalException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException or SocketException or IOException => true,
        _ => false,
    };

    private string Cause(Exception e)
    {
        var text = e switch
        {
            AmazonServiceException s when s.StatusCode != 0 =>
                $"{(int)s.StatusCode} {(string.IsNullOrEmpty(s.ErrorCode) ? s.StatusCode.ToString() : s.ErrorCode)}: {s.Message}",
            OperationCanceledException or TimeoutException =>
                $"no answer within {_client.Config.Timeout?.TotalSeconds.ToString(CultureInfo.InvariantCulture) ?? "?"} s",
            _ when e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{e.Message}: {inner.Message}",
            _ => e.Message,
        };
        return text.ReplaceLineEndings(" ").Trim();
    }
}

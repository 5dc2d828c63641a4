using System.IO.Pipelines;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Barman.Wal.Platform;

namespace Barman.Wal.Storage.Cloud;

/// <summary>The create-only upload: one PUT, or a multipart upload of bounded parts (spec: storage §4.4 step 5).</summary>
public sealed partial class CloudWalStorageStrategy
{
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
    /// file itself: its parts are file ranges); completed with <c>If-None-Match: *</c>. Not every S3-compatible
    /// server enforces the condition on completion: the look before the write (<see cref="FindStoredAsync(string, string, CancellationToken)"/>)
    /// covers those.
    /// </summary>
    private async Task<long?> MultipartAsync(
        string key, PartBuffer[] firstParts, Stream payload, double time, CancellationToken cancellationToken)
    {
        var pending = new Queue<PartBuffer>(firstParts);
        try
        {
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

    /// <summary>The answer of a create-only write whose key exists: 412, or 409 for a concurrent create.</summary>
    internal static bool IsAlreadyExists(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.PreconditionFailed
        || (e.StatusCode == HttpStatusCode.Conflict && e.ErrorCode == "ConditionalRequestConflict");
}

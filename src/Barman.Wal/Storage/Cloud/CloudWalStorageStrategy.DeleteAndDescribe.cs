using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Barman.Wal.Catalog;
using Barman.Wal.Compression;

namespace Barman.Wal.Storage.Cloud;

/// <summary>Retention's delete (spec: storage §5.2) and the description of a stored object (catalog repair).</summary>
public sealed partial class CloudWalStorageStrategy
{
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

    private static double StoredTime(GetObjectMetadataResponse head)
    {
        if (head.Metadata[MtimeMetadata] is { Length: > 0 } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var time))
            return time;
        return head.LastModified is { } modified
            ? new DateTimeOffset(modified.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0
            : 0;
    }
}

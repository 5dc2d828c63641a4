using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Barman.Wal.Catalog;
using Barman.Wal.Compression;

namespace Barman.Wal.Storage.Cloud;

/// <summary>The duplicate check: what is already stored under a WAL's name, and whether it is the same WAL (spec: storage §4.4 step 6).</summary>
public sealed partial class CloudWalStorageStrategy
{
    /// <summary>
    /// The key under which <paramref name="name"/> is already stored, or null: one HEAD per compression suffix
    /// barman-cloud-wal-restore reads (sent together), the key with <paramref name="extension"/> preferred. This
    /// look before the write is what keeps an archived WAL on stores that ignore <c>If-None-Match</c>.
    /// </summary>
    private async Task<(string Key, GetObjectMetadataResponse Head)?> LookBeforeWriteAsync(string name, string extension, CancellationToken cancellationToken)
    {
        var keys = KnownExtensions.Prepend(extension).Distinct().Select(e => Location.KeyFor(name, e)).ToArray();
        GetObjectMetadataResponse?[] heads;
        try
        {
            heads = await Task.WhenAll(keys.Select(k => HeadAsync(k, cancellationToken))).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode != HttpStatusCode.NotFound)
        {
            // An error answer to HEAD has no body, so no error code (e.g. a wrong access key is only "403
            // Forbidden"): ask once more with a one-byte GET, whose error answer names the cause.
            await ExplainAsync(keys[0], cancellationToken).ConfigureAwait(false);
            throw;
        }

        var found = Array.FindIndex(heads, h => h is not null);
        return found < 0 ? null : (keys[found], heads[found]!);
    }

    /// <summary>Throws the error a ranged GET of <paramref name="key"/> gets, if any.</summary>
    private async Task ExplainAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var request = new GetObjectRequest { BucketName = Location.Bucket, Key = key, ByteRange = new ByteRange(0, 0) };
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // Nothing more to learn: the HEAD's own error stands.
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
}

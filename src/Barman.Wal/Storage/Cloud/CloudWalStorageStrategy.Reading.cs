using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Barman.Wal.Compression;

namespace Barman.Wal.Storage.Cloud;

/// <summary>The read side of the cloud strategy: listing, finding and opening stored objects.</summary>
public sealed partial class CloudWalStorageStrategy
{
    /// <inheritdoc />
    /// <remarks>ListObjectsV2 under <c>prefix/server/wals/</c>, page by page (S3 returns keys in ordinal order).</remarks>
    public override async IAsyncEnumerable<StoredObject> ListStoredAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = Location.WalsPrefix;
        var request = new ListObjectsV2Request { BucketName = Location.Bucket, Prefix = prefix };
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsProviderFailure(e, cancellationToken))
            {
                throw new CloudStorageException($"Cannot list {Location.UrlOf(prefix)}: {Cause(e)}", e);
            }

            foreach (var entry in page.S3Objects ?? [])
                yield return Describe(entry.Key, entry.Size ?? 0, entry.LastModified ?? DateTime.UnixEpoch);
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
                yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <inheritdoc />
    /// <remarks>One HEAD per extension barman-cloud-wal-restore reads, sent together (the look before the write).</remarks>
    public override async Task<StoredObject?> FindStoredAsync(string name, CancellationToken cancellationToken = default)
    {
        var preferred = ExtensionOf(_compressor?.Name) ?? string.Empty;
        try
        {
            return await LookBeforeWriteAsync(name, preferred, cancellationToken).ConfigureAwait(false) is { } found
                ? Describe(found.Key, found.Head.ContentLength, found.Head.LastModified ?? DateTime.UnixEpoch)
                : null;
        }
        catch (Exception e) when (IsProviderFailure(e, cancellationToken))
        {
            throw new CloudStorageException($"Cannot look up WAL {name} in {Location.UrlOf(Location.WalsPrefix)}: {Cause(e)}", e);
        }
    }

    /// <inheritdoc />
    public override async Task<Stream> OpenStoredAsync(StoredObject stored, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        try
        {
            var response = await _client.GetObjectAsync(Location.Bucket, stored.Location, cancellationToken).ConfigureAwait(false);
            return new OwningStream(response.ResponseStream, response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{Location.UrlOf(stored.Location)} vanished", stored.Location, e);
        }
        catch (Exception e) when (IsProviderFailure(e, cancellationToken))
        {
            throw new CloudStorageException($"Cannot read {Location.UrlOf(stored.Location)}: {Cause(e)}", e);
        }
    }

    private StoredObject Describe(string key, long size, DateTime lastModified)
    {
        var relative = key.StartsWith(Location.WalsPrefix, StringComparison.Ordinal) ? key[Location.WalsPrefix.Length..] : key;
        var leaf = relative[(relative.LastIndexOf('/') + 1)..];
        var compression = WalCodecRegistry.FromFileExtension(leaf);
        var name = leaf;
        if (compression is not null)
        {
            var extension = ExtensionOf(compression) ?? string.Empty;
            if (extension.Length > 0 && leaf.EndsWith(extension, StringComparison.Ordinal))
                name = leaf[..^extension.Length];
        }

        return new StoredObject(relative, name, key, size, new DateTimeOffset(DateTime.SpecifyKind(lastModified, DateTimeKind.Utc)), compression);
    }

    /// <summary>The response body; disposing it also disposes the response it came with.</summary>
    private sealed class OwningStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

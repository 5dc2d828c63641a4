using Amazon.S3;
using Amazon.S3.Model;

namespace Barman.Wal.Storage.Cloud;

/// <summary>
/// Finds out whether an S3 endpoint enforces create-only writes (<c>If-None-Match: *</c> on PUT): writes a
/// small marker object under the server's prefix twice, create-only; the second write must be refused. The
/// marker (a fresh name each time, never a WAL name) is deleted afterwards.
/// </summary>
public static class ConditionalWriteProbe
{
    /// <summary>The start of every marker's name, below <c>prefix/server/</c>.</summary>
    public const string MarkerPrefix = "barman-wal-conditional-write-probe-";

    /// <summary>True when the endpoint refused to overwrite the marker; a failed request throws <see cref="CloudStorageException"/>.</summary>
    public static async Task<bool> IsEnforcedAsync(IAmazonS3 client, CloudWalLocation location, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(location);
        var key = location.ServerKey(MarkerPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            // A fresh name: the first create-only write stores it on any store.
            await PutAsync(client, location.Bucket, key, cancellationToken).ConfigureAwait(false);
            try
            {
                await PutAsync(client, location.Bucket, key, cancellationToken).ConfigureAwait(false);
                return false;
            }
            catch (AmazonS3Exception e) when (CloudWalStorageStrategy.IsAlreadyExists(e))
            {
                return true;
            }
        }
        catch (Exception e) when (CloudFailure.IsProviderFailure(e, cancellationToken))
        {
            throw new CloudStorageException($"Cannot probe {location.UrlOf(key)}: {CloudFailure.Describe(e, client)}", e);
        }
        finally
        {
            await DeleteQuietlyAsync(client, location.Bucket, key).ConfigureAwait(false);
        }
    }

    private static async Task PutAsync(IAmazonS3 client, string bucket, string key, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ContentBody = "barman-wal conditional write probe\n",
            IfNoneMatch = "*",
            UseChunkEncoding = false,
        };
        await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task DeleteQuietlyAsync(IAmazonS3 client, string bucket, string key)
    {
        try
        {
            await client.DeleteObjectAsync(bucket, key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (CloudFailure.IsProviderFailure(e, CancellationToken.None))
        {
            // The marker stays: harmless (not a WAL name); the failure that matters was reported above.
        }
    }
}

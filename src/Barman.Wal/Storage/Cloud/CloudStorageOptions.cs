namespace Barman.Wal.Storage.Cloud;

/// <summary>How the cloud strategy talks to its bucket (from the server options; spec: storage §4.1, §4.4).</summary>
public sealed record CloudStorageOptions
{
    /// <summary>Barman's multipart threshold: payloads of at least this many bytes go as multipart uploads.</summary>
    public const long DefaultMultipartThreshold = 100L * 1024 * 1024;

    /// <summary>The smallest part S3 accepts (except the last).</summary>
    public const long MinimumPartSize = 5L * 1024 * 1024;

    /// <summary>
    /// Payloads below this size go in one create-only PUT; larger ones as multipart uploads whose parts have
    /// this size. One part at a time is held in memory per upload.
    /// </summary>
    public long PartSize { get; init; } = DefaultMultipartThreshold;

    /// <summary><c>aws_encryption</c>: <c>AES256</c> or <c>aws:kms</c>, sent on every upload; null for none.</summary>
    public string? ServerSideEncryption { get; init; }

    /// <summary><c>aws_sse_kms_key_id</c>.</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>Keys per DeleteObjects call (<c>cloud_delete_batch_size</c>, clamped to 1…1000).</summary>
    public int DeleteBatchSize { get; init; } = 1000;

    /// <summary>
    /// False for S3-compatible endpoints (an endpoint override): uploads are sent as plain bodies,
    /// never aws-chunked, which many such servers do not decode.
    /// </summary>
    public bool UseChunkEncoding { get; init; } = true;
}

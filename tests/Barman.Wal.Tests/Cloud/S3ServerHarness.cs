using Amazon.S3;
using Barman.Wal.Compression;
using Barman.Wal.Storage;
using Barman.Wal.Storage.Cloud;
using Barman.Wal.Tests.Infrastructure;
using Serilog;

namespace Barman.Wal.Tests.Cloud;

/// <summary>
/// The real S3 test server plus helpers: fresh <c>s3://bucket/prefix</c> URLs, strategies built through the
/// production client factory (<see cref="S3ClientFactory"/>, endpoint and keys from the environment it is
/// given), and a plain client to look at objects. This one enforces conditional writes; see
/// <see cref="IgnoringS3ServerHarness"/> for the other mode.
/// </summary>
public class S3ServerHarness : IAsyncLifetime
{
    private IAmazonS3? _reader;

    /// <summary>A server that enforces conditional writes.</summary>
    public S3ServerHarness()
        : this(ignoreConditions: false)
    {
    }

    /// <summary>A server in the given mode.</summary>
    protected S3ServerHarness(bool ignoreConditions) => Server = new S3Server(ignoreConditions);

    public S3Server Server { get; }

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        _reader = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _reader?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A fresh URL <c>s3://bucket/&lt;test&gt;-&lt;guid&gt;</c>.</summary>
    public string NewUrl(string testName) => $"s3://{Server.Bucket}/{S3Server.NewPrefix(testName).TrimEnd('/')}";

    /// <summary>The AWS environment pointing at this server (keys, region, endpoint).</summary>
    public Func<string, string?> Environment(string? endpoint = null) =>
        name => name is "AWS_ENDPOINT_URL" or "AWS_ENDPOINT_URL_S3" && endpoint is not null
            ? endpoint
            : Server.Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>A strategy for server <c>pg1</c> at <paramref name="url"/>, built as the CLI builds it.</summary>
    public CloudWalStorageStrategy CreateStrategy(
        string url,
        WalPipeline pipeline,
        long partSize = CloudStorageOptions.DefaultMultipartThreshold,
        string? endpoint = null,
        long readTimeout = 10,
        int deleteBatchSize = 1000,
        Func<string, string?>? environment = null,
        Barman.Wal.Hooks.IWalDeleteHooks? deleteHooks = null)
    {
        var (client, overridden) = S3ClientFactory.Create(null, null, readTimeout, environment ?? Environment(endpoint));
        var options = new CloudStorageOptions { PartSize = partSize, UseChunkEncoding = !overridden, DeleteBatchSize = deleteBatchSize };
        return new CloudWalStorageStrategy(client, CloudWalLocation.Parse(url, "pg1"), pipeline, new WalCodecRegistry(), options, new LoggerConfiguration().CreateLogger(), deleteHooks);
    }

    /// <summary>Every key under <paramref name="prefix"/>, read with a separate client.</summary>
    public async Task<List<string>> ListKeysAsync(string prefix)
    {
        var keys = new List<string>();
        var request = new Amazon.S3.Model.ListObjectsV2Request { BucketName = Server.Bucket, Prefix = prefix };
        Amazon.S3.Model.ListObjectsV2Response page;
        do
        {
            page = await _reader!.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return keys;
    }

    /// <summary>The bytes of an object, read with a separate client.</summary>
    public async Task<byte[]> ReadObjectAsync(string key)
    {
        using var response = await _reader!.GetObjectAsync(Server.Bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>The object as s3rver keeps it on disk (proves the body was stored unchunked).</summary>
    public string ObjectFile(string key) => Path.Combine(Server.DataDirectory, Server.Bucket, key + "._S3rver_object");
}

/// <summary>The harness over a server that ignores conditional writes (<c>S3RVER_IGNORE_CONDITIONS=1</c>).</summary>
public sealed class IgnoringS3ServerHarness() : S3ServerHarness(ignoreConditions: true);

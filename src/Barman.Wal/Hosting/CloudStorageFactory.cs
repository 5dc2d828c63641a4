using Amazon.Runtime;
using Amazon.S3;
using Barman.Wal.Compression;
using Barman.Wal.Configuration;
using Barman.Wal.Storage;
using Barman.Wal.Storage.Cloud;
using Serilog;

namespace Barman.Wal.Hosting;

/// <summary>The S3 strategy for a server whose <c>wals_directory</c> is an <c>s3://bucket[/prefix]</c> URL.</summary>
public sealed class CloudStorageFactory(ILogger logger, Barman.Wal.Hooks.IWalDeleteHooksFactory deleteHooks) : IWalStorageStrategyFactory, IDisposable
{
    private readonly List<IAmazonS3> _clients = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public WalStorageStrategy Create(ServerOptions server, WalPipeline pipeline)
    {
        if (server.WalsCloudProvider != CloudUrl.AwsS3)
            throw new CloudStorageException(
                $"Cloud WAL storage supports only S3 (s3://bucket/prefix); wals_directory of server {server.Name} is {server.WalsDirectory}");
        var location = CloudWalLocation.Parse(server.WalsDirectory, server.Name);
        IAmazonS3 client;
        bool endpointOverridden;
        try
        {
            (client, endpointOverridden) = S3ClientFactory.Create(server);
        }
        catch (AmazonClientException e)
        {
            var hint = e.Message.Contains("RegionEndpoint", StringComparison.Ordinal) ? " (set aws_region, AWS_REGION or AWS_ENDPOINT_URL_S3)" : string.Empty;
            throw new CloudStorageException(
                $"Cannot set up S3 access for server {server.Name} ({server.WalsDirectory}): {e.Message.ReplaceLineEndings(" ").Trim()}{hint}", e);
        }

        lock (_gate)
            _clients.Add(client);
        var options = new CloudStorageOptions
        {
            ServerSideEncryption = server.AwsEncryption,
            KmsKeyId = server.AwsSseKmsKeyId,
            DeleteBatchSize = (int)Math.Clamp(server.CloudDeleteBatchSize ?? 1000, 1, 1000),
            PartSize = server.CloudUploadMinChunkSize is { } chunk
                ? Math.Max(chunk, CloudStorageOptions.MinimumPartSize)
                : CloudStorageOptions.DefaultMultipartThreshold,
            UseChunkEncoding = !endpointOverridden,
        };
        var registry = new WalCodecRegistry(new CustomCompressionOptions(
            server.CustomCompressionFilter, server.CustomDecompressionFilter, server.CustomCompressionMagic));
        return new CloudWalStorageStrategy(client, location, pipeline, registry, options, logger.ForContext<CloudWalStorageStrategy>(), deleteHooks.CreateDeleteHooks(server));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _clients)
                client.Dispose();
            _clients.Clear();
        }
    }
}

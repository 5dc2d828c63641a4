using Amazon.Runtime;
using Barman.Wal.Configuration;
using Barman.Wal.Storage.Cloud;

namespace Barman.Wal.Checks;

/// <summary>
/// barman-wal's <c>cloud conditional writes</c> row, after Barman's rows, for a server archiving to S3: whether
/// the endpoint refuses to overwrite on <c>If-None-Match: *</c> (<see cref="ConditionalWriteProbe"/>; the verdict
/// cached in <see cref="ConditionalWritesCache"/>). OK when it does; WARNING when it does not (one archiver per
/// prefix stays safe through the look before each write, concurrent archivers into one prefix are not);
/// FAILED when the probe cannot run.
/// </summary>
internal sealed class ConditionalWritesCheck(ServerOptions server, CheckStrategy strategy, TimeProvider clock)
{
    public const string Name = "cloud conditional writes";

    public async Task RunAsync(CancellationToken ct)
    {
        if (!server.UsesCloudWalStorage || server.IsPassive || server.WalsCloudProvider != CloudUrl.AwsS3)
            return;
        strategy.Begin(Name);
        CloudWalLocation location;
        Amazon.S3.IAmazonS3 client;
        try
        {
            location = CloudWalLocation.Parse(server.WalsDirectory, server.Name);
            client = S3ClientFactory.Create(server).Client;
        }
        catch (Exception e) when (e is CloudStorageException or AmazonClientException)
        {
            strategy.Result(Name, false, CheckDecisions.WithAdvice(e.Message.ReplaceLineEndings(" ").Trim(),
                "fix the S3 settings of this server (aws_profile, aws_region, AWS_ENDPOINT_URL_S3)"));
            return;
        }

        using (client)
        {
            var endpoint = client.Config.ServiceURL is { Length: > 0 } url
                ? url.TrimEnd('/')
                : "AWS S3 " + (client.Config.RegionEndpoint?.SystemName ?? "default region");
            var cache = new ConditionalWritesCache(server.BackupDirectory);
            var enforced = cache.Read(endpoint, location.Bucket);
            if (enforced is null)
            {
                try
                {
                    enforced = await ConditionalWriteProbe.IsEnforcedAsync(client, location, ct).ConfigureAwait(false);
                }
                catch (CloudStorageException e)
                {
                    strategy.Result(Name, false, CheckDecisions.WithAdvice(e.Message,
                        "check the endpoint, the credentials and that they may write and delete in the bucket"));
                    return;
                }

                cache.Write(endpoint, location.Bucket, enforced.Value, clock.GetUtcNow());
            }

            if (enforced.Value)
                strategy.Result(Name, true, $"{endpoint} refuses to overwrite with If-None-Match");
            else
                strategy.Warning(Name,
                    $"{endpoint} ignores If-None-Match: one archiver per prefix is safe (each WAL is looked up before it is written), " +
                    $"two archivers writing into s3://{location.Bucket}/{location.Prefix} at once are not");
        }
    }
}

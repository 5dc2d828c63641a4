using Barman.Wal.Storage;
using Barman.Wal.Storage.Cloud;
using Barman.Wal.Tests.Cloud;

namespace Barman.Wal.Tests.Storage;

/// <summary>
/// The storage contract against <see cref="CloudWalStorageStrategy"/> on the real S3 test server, a fresh prefix
/// per test; run against a server that enforces conditional writes and one that ignores them (subclasses).
/// </summary>
public abstract class CloudWalStorageContractTests(S3ServerHarness s3) : WalStorageContract
{
    protected override string NewLocation() => s3.NewUrl(GetType().Name);

    protected override WalStorageStrategy CreateStrategy(string location, WalPipeline pipeline) => s3.CreateStrategy(location, pipeline);

    protected override Task<byte[]> ReadStoredAsync(WalStorageStrategy strategy, string fullPath) =>
        s3.ReadObjectAsync(fullPath);
}

/// <summary>The cloud contract on a store that enforces <c>If-None-Match: *</c>.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class EnforcingCloudWalStorageContractTests(S3ServerHarness s3) : CloudWalStorageContractTests(s3);

/// <summary>The cloud contract on a store that ignores conditional writes (a PUT always overwrites).</summary>
[Collection(IgnoringS3ServerCollection.Name)]
public sealed class IgnoringCloudWalStorageContractTests(IgnoringS3ServerHarness s3) : CloudWalStorageContractTests(s3);

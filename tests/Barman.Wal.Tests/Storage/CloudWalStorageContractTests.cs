using Barman.Wal.Storage;
using Barman.Wal.Storage.Cloud;
using Barman.Wal.Tests.Cloud;

namespace Barman.Wal.Tests.Storage;

/// <summary>The storage contract against <see cref="CloudWalStorageStrategy"/> on the real S3 test server, a fresh prefix per test.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class CloudWalStorageContractTests(S3ServerHarness s3) : WalStorageContract
{
    protected override string NewLocation() => s3.NewUrl(nameof(CloudWalStorageContractTests));

    protected override WalStorageStrategy CreateStrategy(string location, WalPipeline pipeline) => s3.CreateStrategy(location, pipeline);

    protected override Task<byte[]> ReadStoredAsync(WalStorageStrategy strategy, string fullPath) =>
        s3.ReadObjectAsync(fullPath);
}

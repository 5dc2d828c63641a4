using Barman.Wal.Storage;

namespace Barman.Wal.Tests.Storage;

/// <summary>The storage contract against <see cref="LocalWalStorageStrategy"/>, a fresh directory per test.</summary>
public sealed class LocalWalStorageContractTests : WalStorageContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("barman-wal-contract-local-").FullName;

    protected override string NewLocation() => Path.Combine(_root, Guid.NewGuid().ToString("N"), "wals");

    protected override WalStorageStrategy CreateStrategy(string location, WalPipeline pipeline) =>
        new LocalWalStorageStrategy(location, pipeline);

    protected override Task<byte[]> ReadStoredAsync(WalStorageStrategy strategy, string fullPath) => File.ReadAllBytesAsync(fullPath);
}

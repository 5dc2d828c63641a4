using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Configuration;
using Barman.Wal.Hooks;
using Barman.Wal.Storage;
using Barman.Wal.Tests.Encryption;
using Barman.Wal.Tests.Hooks;

namespace Barman.Wal.Tests.Cloud;

/// <summary>CloudWalStorageStrategy.DeleteAsync runs the same wal-delete hooks as the local strategy.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class CloudDeleteHookTests(S3ServerHarness s3) : IDisposable
{
    private readonly HookSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task DeleteAsync_runs_pre_and_post_delete_hooks_around_the_object_removal()
    {
        _sandbox.Configure(new Dictionary<string, string>
        {
            ["pre_wal_delete_script"] = _sandbox.Recorder("pre"),
            ["post_wal_delete_script"] = _sandbox.Recorder("post"),
        });
        var configuration = BarmanConfiguration.Load(_sandbox.Home.ConfigPath);
        var hooks = new HookScriptsFactory(configuration, new InMemoryLog().Logger, TimeProvider.System)
            .CreateDeleteHooks(configuration.FindServer(HookSandbox.Server)!);
        var pipeline = new WalPipeline(null, null, new RegistryContentReader(new WalCodecRegistry(), false));
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(DeleteAsync_runs_pre_and_post_delete_hooks_around_the_object_removal)), pipeline, deleteHooks: hooks);
        var source = _sandbox.AddWal("000000010000000000000001");
        var wal = new WalFileInfo { Name = "000000010000000000000001", Size = new FileInfo(source).Length, Time = 1.5, OriginalPath = source };
        (await storage.SaveAsync(wal)).Outcome.Should().Be(StoreOutcome.Stored);
        var key = storage.GetFullPath(wal.Name);

        var deleted = await storage.DeleteAsync([wal]);

        deleted.Should().Equal(wal.Name);
        (await storage.ExistsAsync(key)).Should().BeFalse();
        _sandbox.Order().Should().Equal("pre", "post");
        _sandbox.Recorded("pre", wal.Name)["BARMAN_FILE"].Should().Be(storage.Location.UrlOf(key));
        _sandbox.Recorded("post", wal.Name)["BARMAN_PHASE"].Should().Be("post");
    }
}

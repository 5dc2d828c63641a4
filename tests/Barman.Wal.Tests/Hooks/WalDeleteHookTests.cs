using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Configuration;
using Barman.Wal.Hooks;
using Barman.Wal.Storage;
using Barman.Wal.Tests.Encryption;

namespace Barman.Wal.Tests.Hooks;

/// <summary>LocalWalStorageStrategy.DeleteAsync runs the wal-delete hooks around each removal (spec: storage §5).</summary>
public sealed class WalDeleteHookTests : IDisposable
{
    private const string Wal1 = "000000010000000000000001";
    private readonly HookSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private (LocalWalStorageStrategy Storage, WalFileInfo Wal, string Path) Arrange(Dictionary<string, string> options)
    {
        _sandbox.Configure(options);
        var configuration = BarmanConfiguration.Load(_sandbox.Home.ConfigPath);
        var server = configuration.FindServer(HookSandbox.Server)!;
        var log = new InMemoryLog();
        var hooks = new HookScriptsFactory(configuration, log.Logger, TimeProvider.System).CreateDeleteHooks(server);
        var pipeline = new WalPipeline(null, null, new RegistryContentReader(new WalCodecRegistry(), false));
        var storage = new LocalWalStorageStrategy(server.WalsDirectory, pipeline, hooks, server.Name, log.Logger);
        var path = storage.GetFullPath(Wal1);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[1234]);
        var wal = new WalFileInfo { Name = Wal1, Size = 1234, Time = 1795488859.3288012, Compression = "gzip" };
        return (storage, wal, path);
    }

    [Fact]
    public async Task DeleteAsync_runs_the_four_delete_hooks_with_the_catalogued_record()
    {
        var (storage, wal, path) = Arrange(new()
        {
            ["pre_wal_delete_script"] = _sandbox.Recorder("pre"),
            ["pre_wal_delete_retry_script"] = _sandbox.Recorder("pre_retry"),
            ["post_wal_delete_retry_script"] = _sandbox.Recorder("post_retry"),
            ["post_wal_delete_script"] = _sandbox.Recorder("post"),
        });

        var deleted = await storage.DeleteAsync([wal]);

        deleted.Should().Equal(Wal1);
        File.Exists(path).Should().BeFalse();
        _sandbox.Order().Should().Equal("pre", "pre_retry", "post_retry", "post");
        var pre = _sandbox.Recorded("pre", Wal1);
        pre.Should().Contain(new Dictionary<string, string>
        {
            ["BARMAN_HOOK"] = "wal_delete_script",
            ["BARMAN_PHASE"] = "pre",
            ["BARMAN_RETRY"] = "0",
            ["BARMAN_FILE"] = path,
            ["BARMAN_SIZE"] = "1234",
            ["BARMAN_COMPRESSION"] = "gzip",
            ["BARMAN_TIMESTAMP"] = "1795488859.3288012",
            ["BARMAN_ERROR"] = "",
            ["BARMAN_SERVER"] = HookSandbox.Server,
        });
        _sandbox.Recorded("post_retry", Wal1)["BARMAN_HOOK"].Should().Be("wal_delete_retry_script");
        _sandbox.Recorded("post_retry", Wal1)["BARMAN_PHASE"].Should().Be("post");
        _sandbox.Recorded("post_retry", Wal1)["BARMAN_RETRY"].Should().Be("1");
    }

    [Fact]
    public async Task DeleteAsync_pre_retry_63_aborts_the_call_and_keeps_the_file()
    {
        var (storage, wal, path) = Arrange(new()
        {
            ["pre_wal_delete_retry_script"] = "exit 63",
            ["post_wal_delete_script"] = _sandbox.Recorder("post"),
        });

        var act = () => storage.DeleteAsync([wal]);

        (await act.Should().ThrowAsync<RetryHookAbortedException>()).Which.Message
            .Should().Be("Abort 'pre_wal_delete_retry_script' retry hook script (exit 63, exit code: 63)");
        File.Exists(path).Should().BeTrue();
        _sandbox.Order().Should().BeEmpty();
    }
}

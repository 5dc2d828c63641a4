using Barman.Wal.Streaming;
using Barman.Wal.Tests.Infrastructure;
using Barman.Wal.Tests.Streaming;

namespace Barman.Wal.Tests.Cron;

/// <summary><c>cron</c> run as a process: archive-wal per server, receive-wal started once against PostgreSQL 15, configured purges.</summary>
public sealed class CronEndToEndTests(ReceiveWalClusterFixture fixture) : IClassFixture<ReceiveWalClusterFixture>, IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose()
    {
        if (ReceiveWalLock.ProbeOwner(_home.Home, "pg1") is > 0)
            ToolRunner.RunAsync(_home, ["receive-wal", "--stop", "pg1"]).GetAwaiter().GetResult();
        _home.Dispose();
    }

    [Fact]
    public async Task Starts_receive_wal_detached_once_and_not_again_while_it_runs()
    {
        var slot = "cron_" + Guid.NewGuid().ToString("N")[..12];
        _home.WriteConfig(new Dictionary<string, string>
        {
            ["conninfo"] = fixture.Cluster.ConnInfo,
            ["streaming_conninfo"] = fixture.Cluster.ConnInfo,
            ["backup_method"] = "postgres",
            ["archiver"] = "off",
            ["streaming_archiver"] = "on",
            ["slot_name"] = slot,
        });
        _home.CreateServerDirectories();
        (await ToolRunner.RunAsync(_home, ["receive-wal", "--create-slot", "pg1"])).ExitCode.Should().Be(0);

        var first = await ToolRunner.RunAsync(_home, ["cron"]);

        first.ExitCode.Should().Be(0, first.ToString());
        first.StdoutLines.Should().Equal("Starting WAL archiving for server pg1", "Starting streaming archiver for server pg1");
        var pid = await WaitForReceiverAsync();
        pid.Should().BeGreaterThan(0);

        var second = await ToolRunner.RunAsync(_home, ["cron"]);

        second.ExitCode.Should().Be(0, second.ToString());
        second.StdoutLines.Should().Equal("Starting WAL archiving for server pg1");
        ReceiveWalLock.ProbeOwner(_home.Home, "pg1").Should().Be(pid, "the running receiver was left alone");
        var quiet = await ToolRunner.RunAsync(_home, ["-q", "cron"]);
        quiet.ExitCode.Should().Be(0);
        quiet.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task A_failing_server_does_not_stop_the_others_and_purge_policies_apply()
    {
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on" }, server: "pg0");
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on", ["purge_wal_keep_size"] = "10" }, server: "pg1");
        _home.CreateServerDirectories("pg0");
        _home.CreateServerDirectories("pg1");
        Directory.Delete(_home.WalsDirectory("pg0"));
        File.WriteAllText(_home.WalsDirectory("pg0"), "not a directory");
        File.WriteAllBytes(Path.Combine(_home.IncomingDirectory("pg0"), "000000010000000000000001"), new byte[8]);
        for (var i = 1; i <= 3; i++)
            File.WriteAllBytes(Path.Combine(_home.IncomingDirectory("pg1"), $"00000001000000000000000{i}"), new byte[8]);

        var run = await ToolRunner.RunAsync(_home, ["cron"]);

        run.ExitCode.Should().Be(1, run.ToString());
        run.StdoutLines.Should().Equal("Starting WAL archiving for server pg0", "Starting WAL archiving for server pg1",
            "Purged WAL files of server pg1 (before 000000010000000000000003 (keep 10 B)):", "\t000000010000000000000001", "\t000000010000000000000002",
            "Removed 2 WAL files, 16 bytes (16 B), for server pg1");
        run.StderrLines.Should().NotBeEmpty("the archive-wal failure of pg0 is reported");
        _home.ListArchive("pg1").Should().Equal("0000000100000000/000000010000000000000003");
        _home.ReadXlogDb("pg1").Should().ContainSingle().Which.Should().StartWith("000000010000000000000003\t8\t");
        File.Exists(Path.Combine(_home.IncomingDirectory("pg0"), "000000010000000000000001")).Should().BeTrue();
    }

    private async Task<int> WaitForReceiverAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            if (ReceiveWalLock.ProbeOwner(_home.Home, "pg1") is > 0 and var pid)
                return pid;
            await Task.Delay(100);
        }

        throw new TimeoutException("receive-wal did not take its lock within 30 s");
    }
}

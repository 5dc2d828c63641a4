using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Streaming;

/// <summary>receive-wal's command-line checks that need no PostgreSQL, through the built CLI.</summary>
public sealed class ReceiveWalCommandTests : IDisposable
{
    private readonly BarmanHome _home = new();

    public ReceiveWalCommandTests()
    {
        var unreachable = "host=127.0.0.1 port=1 user=postgres dbname=postgres";
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = unreachable, ["streaming_conninfo"] = unreachable, ["archiver"] = "on", ["streaming_archiver"] = "off" });
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = unreachable, ["active"] = "false", ["streaming_archiver"] = "on", ["slot_name"] = "s" }, "idle");
    }

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData(new[] { "--stop", "--reset", "pg1" }, "ERROR: --stop and --reset options are not compatible")]
    [InlineData(new[] { "all" }, "ERROR: You cannot use 'all' in a single server context")]
    [InlineData(new[] { "nosuch" }, "ERROR: Unknown server 'nosuch'")]
    [InlineData(new[] { "pg1" }, "ERROR: Unable to start receive-wal process: streaming_archiver option set to 'off' in barman configuration file")]
    [InlineData(new[] { "--stop", "pg1" }, "ERROR: Termination of receive-wal failed: no such process for server pg1")]
    [InlineData(new[] { "--create-slot", "pg1" }, "ERROR: Unable to create a physical replication slot: streaming connection not configured")]
    [InlineData(new[] { "--drop-slot", "idle" }, "ERROR: Cannot connect to server 'idle'")]
    public async Task ReceiveWal_refused_input_prints_one_error_and_exits_1(string[] arguments, string error)
    {
        var r = await ToolRunner.RunAsync(_home, ["receive-wal", .. arguments]);

        r.ExitCode.Should().Be(1, r.ToString());
        r.StderrLines.Should().Equal(error);
        r.StdoutLines.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveWal_inactive_server_is_skipped_with_exit_0()
    {
        var r = await ToolRunner.RunAsync(_home, ["receive-wal", "idle"]);

        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutLines.Should().Equal("Skipping inactive server 'idle'");
    }

    [Fact]
    public async Task ReceiveWal_json_format_collects_the_error()
    {
        var r = await ToolRunner.RunAsync(_home, ["-f", "json", "receive-wal", "--stop", "pg1"]);

        r.ExitCode.Should().Be(1, r.ToString());
        r.Stdout.Should().Be("{\"_ERROR\": [\"Termination of receive-wal failed: no such process for server pg1\"]}");
    }

    [Theory]
    [InlineData(Libc.SIGTERM, 143, "")]
    [InlineData(Libc.SIGINT, 1, "ERROR: Process interrupted by user (KeyboardInterrupt)")]
    public async Task ReceiveWal_signal_before_pg_receivewal_starts_ends_as_barman(int signal, int exitCode, string stderr)
    {
        await using var silent = new SilentTcpServer();
        _home.WriteConfig(new Dictionary<string, string>
        {
            ["conninfo"] = silent.ConnInfo, ["streaming_conninfo"] = silent.ConnInfo, ["streaming_archiver"] = "on", ["slot_name"] = "s",
        }, "hang");
        await using var receiver = ReceiveWalProcess.Start(_home, "hang");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (silent.AcceptedCount == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        silent.AcceptedCount.Should().BeGreaterThan(0, receiver.Describe());

        receiver.Signal(signal);

        (await receiver.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(exitCode, receiver.Describe());
        string.Join("\n", receiver.StderrLines).Should().Be(stderr);
        receiver.StdoutLines.Should().BeEmpty();
    }

    [Fact]
    public async Task ReceiveWal_unknown_option_is_a_usage_error()
    {
        var r = await ToolRunner.RunAsync(_home, ["receive-wal", "--bogus", "pg1"]);

        r.ExitCode.Should().Be(2);
    }
}

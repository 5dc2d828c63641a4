using Barman.Wal.Tests.Backups;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Status;

/// <summary>The built CLI's <c>status</c> against a real PostgreSQL 15 and against an unreachable one (spec: status §2–§5).</summary>
public sealed class StatusEndToEndTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private PostgresCluster Cluster => fixture.Cluster;

    private static BarmanHome Home(string conninfo)
    {
        var home = new BarmanHome();
        home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = conninfo, ["archiver"] = "on", ["description"] = "bars" });
        return home;
    }

    [Fact]
    public async Task Status_shows_Barmans_lines_then_barman_wals_before_and_after_archive_wal()
    {
        using var home = Home(Cluster.ConnInfo);
        home.WriteConfig(new Dictionary<string, string>
        {
            ["conninfo"] = Cluster.ConnInfo, ["archiver"] = "on", ["description"] = "bars", ["incoming_wals_directory"] = Cluster.IncomingDirectory,
        });
        var segments = await Cluster.GenerateSegmentsAsync(2);

        var before = await ToolRunner.RunAsync(home, ["status", "pg1"]);
        before.ExitCode.Should().Be(0, before.ToString());
        var lines = before.Stdout.Split('\n');
        lines[..5].Should().Equal("Server pg1:", "\tDescription: bars", "\tActive: True", "\tDisabled: False", "\tActive configuration model: None");
        lines[5].Should().MatchRegex(@"^\tPostgreSQL version: 15\.\d+$");
        lines[6].Should().Be("\tCluster state: in production");
        lines[7].Should().MatchRegex(@"^\tCurrent data size: \d+\.\d MiB$");
        lines[8].Should().Be($"\tPostgreSQL Data directory: {Cluster.DataDirectory}");
        lines[9].Should().MatchRegex(@"^\tCurrent WAL segment: 0000000100000000000000[0-9A-F]{2}$");
        lines[10].Should().StartWith("\tPostgreSQL 'archive_command' setting: ");
        lines[11].Should().MatchRegex($@"^\tLast archived WAL: {segments[^1]}, at (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{{2}} [ 1-3][0-9] \d\d:\d\d:\d\d \d{{4}}$");
        lines[12].Should().Be("\tFailures of WAL archiver: 0");
        lines[13].Should().MatchRegex(@"^\tServer WAL archiving rate: \d+\.\d\d/hour$");
        lines[14..20].Should().Equal("\tPassive node: False", "\tRetention policies: not enforced", "\tNo. of available backups: 0",
            "\tFirst available backup: None", "\tLast available backup: None", "\tMinimum redundancy requirements: satisfied (0/0)");
        lines[20].Should().MatchRegex(@"^\tbarman-wal incoming queue: \d+ files, \d+\.0 MiB, oldest .* old$");
        lines[21..].Should().Equal("\tbarman-wal streaming queue: empty", "\tbarman-wal last WAL archived: None",
            "\tbarman-wal files in errors: 0", "\tbarman-wal receive-wal running: False", "");

        (await ToolRunner.RunAsync(home, ["archive-wal", "pg1"])).ExitCode.Should().Be(0);
        BarmanBackups.Write(home.ServerDirectory(), "20261207T100000", "DONE", segments[0], segments[0]);

        var after = (await ToolRunner.RunAsync(home, ["status", "pg1"])).Stdout;
        after.Should().Contain("\tNo. of available backups: 1\n\tFirst available backup: 20261207T100000\n\tLast available backup: 20261207T100000\n" +
            "\tMinimum redundancy requirements: satisfied (1/0)\n");
        after.Should().Contain("\tbarman-wal incoming queue: empty\n\tbarman-wal streaming queue: empty\n");
        after.Should().MatchRegex($@"\tbarman-wal last WAL archived: {segments[^1]}, .* ago\n\tbarman-wal timeline 1: 0000000100000000000000[0-9A-F]{{2}} to {segments[^1]} \(\d+ segments\)\n");

        var json = await ToolRunner.RunAsync(home, ["-f", "json", "status", "pg1"]);
        json.Stdout.Should().StartWith("{\"pg1\": {\"active\": {\"description\": \"Active\", \"message\": \"True\"}")
            .And.Contain("\"barman_wal_errors\": {\"description\": \"barman-wal files in errors\", \"message\": \"0\"}")
            .And.Contain("\"failed_count\": {\"description\": \"Failures of WAL archiver\", \"message\": \"0\"}")
            .And.NotEndWith("\n");

        var prometheus = await ToolRunner.RunAsync(home, ["status", "--prometheus", "all"]);
        prometheus.ExitCode.Should().Be(0);
        var samples = PrometheusText.Parse(prometheus.Stdout);
        samples[("barman_wal_incoming_queue_files", "pg1")].Should().Be(0);
        samples[("barman_wal_last_archived_age_seconds", "pg1")].Should().BeGreaterThanOrEqualTo(0);
        samples[("barman_wal_receive_wal_up", "pg1")].Should().Be(0);
        samples[("barman_wal_catalog_timelines", "pg1")].Should().Be(1);
    }

    [Fact]
    public async Task Status_with_PostgreSQL_unreachable_says_so_and_exits_0()
    {
        using var home = Home($"host=127.0.0.1 port={FreePort.Next()} user=postgres dbname=postgres connect_timeout=2");

        var console = await ToolRunner.RunAsync(home, ["status", "pg1"]);
        console.ExitCode.Should().Be(0, console.ToString());
        console.Stdout.Should().Be(
            "Server pg1:\n\tDescription: bars\n\tActive: True\n\tDisabled: False\n\tActive configuration model: None\n" +
            "\tPostgreSQL version: FAILED trying to get PostgreSQL version\n\tPassive node: False\n\tRetention policies: not enforced\n" +
            "\tNo. of available backups: 0\n\tFirst available backup: None\n\tLast available backup: None\n" +
            "\tMinimum redundancy requirements: satisfied (0/0)\n" +
            "\tbarman-wal incoming queue: empty\n\tbarman-wal streaming queue: empty\n\tbarman-wal last WAL archived: None\n" +
            "\tbarman-wal files in errors: 0\n\tbarman-wal receive-wal running: False\n");
        console.Stderr.Should().BeEmpty();

        var json = await ToolRunner.RunAsync(home, ["-f", "json", "status", "pg1"]);
        json.ExitCode.Should().Be(0);
        json.Stdout.Should().Contain(
            "\"pg_version\": {\"description\": \"PostgreSQL version\", \"message\": \"FAILED trying to get PostgreSQL version\"}, " +
            "\"retention_policies\": {\"description\": \"Retention policies\", \"message\": \"not enforced\"}}}");

        var unknown = await ToolRunner.RunAsync(home, ["status", "pg1", "nope"]);
        unknown.ExitCode.Should().Be(1);
        unknown.Stderr.Should().Contain("ERROR: Unknown server 'nope'");
        unknown.Stdout.Should().StartWith("Server pg1:\n");
    }

    [Fact]
    public async Task Status_of_a_server_that_never_answers_stops_at_check_timeout()
    {
        await using var silent = new SilentTcpServer();
        using var home = new BarmanHome();
        home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = silent.ConnInfo, ["archiver"] = "on", ["check_timeout"] = "1" });

        var console = await ToolRunner.RunAsync(home, ["status", "pg1"]);
        console.ExitCode.Should().Be(0, console.ToString());
        console.Stdout.Should().Contain("\tActive configuration model: None\n\tPostgreSQL version: FAILED trying to get PostgreSQL version\n\tPassive node: False\n");
    }
}

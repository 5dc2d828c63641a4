using System.Diagnostics;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Checks;

/// <summary>The built CLI's <c>check</c> against one shared real PostgreSQL 15, reconfigured per state.</summary>
public sealed class CheckEndToEndTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private const string Seed = "000000010000000000000001\t16777216\t1700000000.0\tNone\n";
    private PostgresCluster Cluster => fixture.Cluster;

    private static string Tail() =>
        "\tdirectories: OK\n\twal maximum age: OK (no last_wal_maximum_age provided)\n\twal size: OK (0 B)\n\tcompression settings: OK\n" +
        "\tsystemid coherence: OK (no system Id stored on disk)\n";

    private const string PgOk = "\tPostgreSQL: OK\n\tsuperuser or standard user with backup privileges: OK\n\twal_level: OK\n";
    private const string ArchiverOk = "\tarchive_mode: OK\n\tarchive_command: OK\n\tcontinuous archiving: OK\n";

    private BarmanHome Home(IReadOnlyDictionary<string, string>? extra = null, bool seed = true, string server = "pg1")
    {
        var home = new BarmanHome();
        var options = new Dictionary<string, string> { ["conninfo"] = Cluster.ConnInfo, ["archiver"] = "on" };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
            options[k] = v;
        home.WriteConfig(options, server);
        if (seed)
        {
            Directory.CreateDirectory(home.WalsDirectory(server));
            File.WriteAllText(home.XlogDbPath(server), Seed);
        }

        return home;
    }

    private static Task<ProcessResult> Check(BarmanHome home, params string[] args) => ToolRunner.RunAsync(home, ["check", .. args]);

    private async Task SetAndReloadAsync(string setting, string value)
    {
        await Cluster.ExecuteAsync($"ALTER SYSTEM SET {setting} = '{value}'");
        await Cluster.ExecuteAsync("SELECT pg_reload_conf()");
        for (var i = 0; i < 100 && await Cluster.ScalarAsync<string>($"SHOW {setting}") != value; i++)
            await Task.Delay(50);
    }

    private async Task ResetAndReloadAsync(string setting)
    {
        await Cluster.ExecuteAsync($"ALTER SYSTEM RESET {setting}");
        await Cluster.ExecuteAsync("SELECT pg_reload_conf()");
        await Task.Delay(200);
    }

    private async Task RestartWithAsync(params (string Setting, string Value)[] settings)
    {
        foreach (var (setting, value) in settings)
            await Cluster.ExecuteAsync($"ALTER SYSTEM SET {setting} = '{value}'");
        await Cluster.StopAsync();
        await Cluster.StartAsync();
    }

    private async Task RestartResetAsync()
    {
        await Cluster.ExecuteAsync("ALTER SYSTEM RESET ALL");
        await Cluster.StopAsync();
        await Cluster.StartAsync();
    }

    [Fact]
    public async Task Check_healthy_archive_command_archives_and_passes()
    {
        using var home = Home(new Dictionary<string, string> { ["incoming_wals_directory"] = Cluster.IncomingDirectory }, seed: false);
        await Cluster.GenerateSegmentsAsync(1);

        var console = await Check(home, "pg1");
        console.ExitCode.Should().Be(0, console.ToString());
        console.Stdout.Should().Be("Server pg1:\n" + PgOk + Tail() + ArchiverOk + "\tarchiver errors: OK\n");
        console.Stderr.Should().BeEmpty();
        home.ReadXlogDb().Should().NotBeEmpty("the WAL archive check runs a silent archive-wal");

        var nagios = await Check(home, "--nagios", "pg1");
        nagios.ExitCode.Should().Be(0);
        nagios.Stdout.Should().Be("BARMAN OK - Ready to serve the Espresso backup for pg1|pg1_wals=0B\n");

        var json = await ToolRunner.RunAsync(home, ["-f", "json", "check", "pg1"]);
        json.ExitCode.Should().Be(0);
        json.Stdout.Should().Be(
            "{\"pg1\": {\"archive_command\": {\"hint\": \"\", \"status\": \"OK\"}, \"archive_mode\": {\"hint\": \"\", \"status\": \"OK\"}, " +
            "\"archiver_errors\": {\"hint\": \"\", \"status\": \"OK\"}, \"compression_settings\": {\"hint\": \"\", \"status\": \"OK\"}, " +
            "\"continuous_archiving\": {\"hint\": \"\", \"status\": \"OK\"}, \"directories\": {\"hint\": \"\", \"status\": \"OK\"}, " +
            "\"postgresql\": {\"hint\": \"\", \"status\": \"OK\"}, \"superuser_or_standard_user_with_backup_privileges\": {\"hint\": \"\", \"status\": \"OK\"}, " +
            "\"systemid_coherence\": {\"hint\": \"no system Id stored on disk\", \"status\": \"OK\"}, \"wal_level\": {\"hint\": \"\", \"status\": \"OK\"}, " +
            "\"wal_maximum_age\": {\"hint\": \"no last_wal_maximum_age provided\", \"status\": \"OK\"}, \"wal_size\": {\"hint\": \"0 B\", \"status\": \"OK\"}}}");
    }

    [Fact]
    public async Task Check_with_empty_archive_command_fails_archive_command()
    {
        using var home = Home();
        await SetAndReloadAsync("archive_command", "");
        try
        {
            var r = await Check(home, "pg1");
            r.ExitCode.Should().Be(1);
            r.Stdout.Should().Be("Server pg1:\n" + PgOk + Tail() + "\tarchive_mode: OK\n" +
                "\tarchive_command: FAILED (please set it accordingly to documentation; e.g. ALTER SYSTEM SET archive_command = " +
                $"'barman-wal-archive ... or rsync -a %p barman@host:{home.IncomingDirectory()}/%f' and reload)\n\tarchiver errors: OK\n");
        }
        finally
        {
            await ResetAndReloadAsync("archive_command");
        }
    }

    [Fact]
    public async Task Check_with_archive_mode_off_fails_both_archive_lines()
    {
        using var home = Home();
        await RestartWithAsync(("archive_mode", "off"));
        try
        {
            var r = await Check(home, "--nagios", "pg1");
            r.ExitCode.Should().Be(2);
            r.Stdout.Should().Be(
                "BARMAN CRITICAL - server pg1 has issues * pg1 FAILED: archive_mode, archive_command|pg1_wals=0B\n" +
                "pg1.archive_mode: FAILED (please set it to 'on' or 'always'; ALTER SYSTEM SET archive_mode = 'on' and restart PostgreSQL)\n" +
                "pg1.archive_command: FAILED (please set it accordingly to documentation; e.g. ALTER SYSTEM SET archive_command = " +
                $"'barman-wal-archive ... or rsync -a %p barman@host:{home.IncomingDirectory()}/%f' and reload)\n");
        }
        finally
        {
            await RestartResetAsync();
        }
    }

    [Fact]
    public async Task Check_with_wal_level_minimal_fails_wal_level()
    {
        using var home = Home();
        await RestartWithAsync(("wal_level", "minimal"), ("archive_mode", "off"), ("max_wal_senders", "0"));
        try
        {
            var r = await ToolRunner.RunAsync(home, ["-f", "json", "check", "pg1"]);
            r.ExitCode.Should().Be(1);
            r.Stdout.Should().Contain("\"wal_level\": {\"hint\": \"please set it to a higher level than 'minimal'; ALTER SYSTEM SET wal_level = 'replica' and restart PostgreSQL\", \"status\": \"FAILED\"}");
            r.Stdout.Should().Contain("\"archive_mode\": {\"hint\": \"please set it to 'on' or 'always'; ALTER SYSTEM SET archive_mode = 'on' and restart PostgreSQL\", \"status\": \"FAILED\"}");
        }
        finally
        {
            await RestartResetAsync();
        }
    }

    private static string StreamingLines(string slotLine) =>
        "Server pg1:\n\tPostgreSQL: OK\n\tsuperuser or standard user with backup privileges: OK\n\tPostgreSQL streaming: OK\n\twal_level: OK\n" +
        slotLine + Tail() + "\tpg_receivexlog: OK\n\tpg_receivexlog compatible: OK\n" +
        "\treceive-wal running: FAILED (See the Barman log file for more details; start it with 'barman-wal receive-wal pg1' (cron runs it when configured))\n" +
        "\tarchiver errors: OK\n";

    [Fact]
    public async Task Check_streaming_with_missing_slot_fails_slot_and_receive_wal()
    {
        using var home = Home(new Dictionary<string, string>
        {
            ["archiver"] = "off", ["streaming_archiver"] = "on", ["slot_name"] = "missing_slot", ["path_prefix"] = Prerequisites.PostgresBinDirectory,
        });
        var r = await Check(home, "pg1");
        r.ExitCode.Should().Be(1);
        r.Stdout.Should().Be(StreamingLines(
            "\treplication slot: FAILED (replication slot 'missing_slot' doesn't exist. Please execute 'barman receive-wal --create-slot pg1'; or set create_slot = auto)\n"));
    }

    [Fact]
    public async Task Check_streaming_with_inactive_slot_reports_not_active()
    {
        await Cluster.ExecuteAsync("SELECT pg_create_physical_replication_slot('check_slot', true)");
        try
        {
            using var home = Home(new Dictionary<string, string>
            {
                ["archiver"] = "off", ["streaming_archiver"] = "on", ["slot_name"] = "check_slot", ["path_prefix"] = Prerequisites.PostgresBinDirectory,
            });
            var r = await Check(home, "pg1");
            r.ExitCode.Should().Be(1);
            r.Stdout.Should().Be(StreamingLines(
                "\treplication slot: FAILED (slot 'check_slot' not active: is 'receive-wal' running?; start it with 'barman-wal receive-wal pg1')\n"));
        }
        finally
        {
            await Cluster.ExecuteAsync("SELECT pg_drop_replication_slot('check_slot')");
        }
    }

    [Fact]
    public async Task Check_server_stopped_fails_postgresql_without_stack_trace()
    {
        var port = FreePort.Next();
        using var home = Home(new Dictionary<string, string> { ["conninfo"] = $"host=127.0.0.1 port={port} user=postgres dbname=postgres" });
        var r = await Check(home, "pg1");
        r.ExitCode.Should().Be(1);
        r.Stdout.Should().Be("Server pg1:\n" +
            $"\tPostgreSQL: FAILED (connection to server at \"127.0.0.1\", port {port} failed: Connection refused; check 'conninfo' of pg1 and that PostgreSQL is running and reachable)\n" +
            Tail().Replace("no system Id stored on disk", "no system Id available", StringComparison.Ordinal) + "\tarchiver errors: OK\n");
        r.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Check_server_that_never_answers_gives_check_timeout()
    {
        await using var silent = new SilentTcpServer();
        using var home = Home(new Dictionary<string, string> { ["conninfo"] = silent.ConnInfo });
        var clock = Stopwatch.StartNew();
        var console = await Check(home, "--check-timeout", "2", "pg1");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        console.ExitCode.Should().Be(1);
        console.Stdout.Should().Be("Server pg1:\n\tcheck timeout: FAILED (barman check command timed out)\n");

        home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = silent.ConnInfo, ["archiver"] = "on", ["check_timeout"] = "1" });
        var nagios = await Check(home, "--nagios", "pg1");
        nagios.ExitCode.Should().Be(2);
        nagios.Stdout.Should().Be("BARMAN CRITICAL - server pg1 has issues * pg1 FAILED: check timeout\npg1.check timeout: FAILED (barman check command timed out)\n");
    }

    [Fact]
    public async Task Check_with_files_in_errors_directory_summarises_and_names_newest()
    {
        using var home = Home();
        Directory.CreateDirectory(home.ErrorsDirectory());
        var files = new[] { "000000010000000000000002.20260101T000000Z.duplicate", "000000010000000000000003.20260101T000001Z.duplicate", "junk.20260101T000002Z.unknown" };
        for (var i = 0; i < files.Length; i++)
        {
            var path = Path.Combine(home.ErrorsDirectory(), files[i]);
            File.WriteAllText(path, "x");
            File.SetLastWriteTimeUtc(path, new DateTime(2026, 1, 1, 0, 0, i, DateTimeKind.Utc));
        }

        var r = await Check(home, "pg1");
        r.ExitCode.Should().Be(1);
        r.Stdout.Should().Be("Server pg1:\n" + PgOk + Tail() + ArchiverOk +
            "\tarchiver errors: FAILED (duplicates: 2, unknown: 1; newest: junk.20260101T000002Z.unknown, 000000010000000000000003.20260101T000001Z.duplicate, " +
            $"000000010000000000000002.20260101T000000Z.duplicate; inspect them in '{home.ErrorsDirectory()}' and remove them once handled)\n");
    }

    [Fact]
    public async Task Check_shows_a_segment_being_written_and_fails_once_it_waited_past_the_timeout()
    {
        using var home = Home();
        Directory.CreateDirectory(home.IncomingDirectory());
        const string name = "000000010000000000000002";
        var path = Path.Combine(home.IncomingDirectory(), name);
        var header = new byte[1 << 20]; // the first MiB of a 16 MiB segment: magic of PG 15, long header, address 0/1000000
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header, 0xD110);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), 0x0002);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), 0x1000000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(32), 16 << 20);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(36), 8192);
        File.WriteAllBytes(path, header);

        var fresh = await Check(home, "pg1");
        fresh.ExitCode.Should().Be(0, fresh.ToString());
        fresh.Stdout.Should().MatchRegex("^Server pg1:\n(.*\n)*\tarchiver errors: OK\n" +
            $"\tincoming WAL being written: OK \\({name}: 1048576 of 16777216 bytes, modified \\d+ s ago\\)\n$");

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));
        var stale = await Check(home, "pg1");
        stale.ExitCode.Should().Be(1, stale.ToString());
        stale.StdoutLines[^1].Should().MatchRegex(
            $"^\tincoming WAL being written: FAILED \\({name}: 1048576 of 16777216 bytes, modified 72\\d\\d s ago, longer than incomplete_wal_timeout \\(60 s\\); " +
            "the copy into incoming stopped: check archive_command and the PostgreSQL log; the next 'barman-wal archive-wal pg1' stops waiting for it\\)$");
    }

    [Fact]
    public async Task Check_with_too_many_incoming_files_fails_the_queue_check()
    {
        using var home = Home(new Dictionary<string, string> { ["max_incoming_wals_queue"] = "1" });
        Directory.CreateDirectory(home.IncomingDirectory());
        foreach (var name in new[] { "000000010000000000000005", "000000010000000000000006", "000000010000000000000007", ".hidden", "x.tmp" })
            File.WriteAllText(Path.Combine(home.IncomingDirectory(), name), "x");

        var r = await Check(home, "pg1");
        r.ExitCode.Should().Be(1);
        r.Stdout.Should().Be("Server pg1:\n" +
            "\tincoming WALs directory: FAILED (there are too many WALs in queue: 3, max 1; run 'barman-wal archive-wal pg1' (is cron running?) and look at the log for archiving errors)\n" +
            PgOk + Tail() + ArchiverOk + "\tarchiver errors: OK\n");
    }

    [Fact]
    public async Task Check_unknown_server_prints_error_and_exits_1()
    {
        using var home = Home();
        var r = await Check(home, "nope");
        r.ExitCode.Should().Be(1);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Should().Be("ERROR: Unknown server 'nope'\n");

        var nagios = await Check(home, "--nagios", "nope");
        nagios.ExitCode.Should().Be(2);
        nagios.Stdout.Should().Be("BARMAN CRITICAL - Global configuration errors\n");
        nagios.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Check_all_with_inactive_server_ignores_its_failures()
    {
        using var home = Home();
        var port = FreePort.Next();
        home.WriteConfig(new Dictionary<string, string>
        {
            ["conninfo"] = $"host=127.0.0.1 port={port} user=postgres dbname=postgres", ["archiver"] = "on", ["active"] = "false",
        }, "pg2");
        Directory.CreateDirectory(home.WalsDirectory("pg2"));
        File.WriteAllText(home.XlogDbPath("pg2"), Seed);

        var r = await Check(home, "all");
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutLines.Should().Contain("Server pg2 (inactive):");
        r.Stdout.Should().StartWith("Server pg1:\n" + PgOk + Tail() + ArchiverOk + "\tarchiver errors: OK\nServer pg2 (inactive):\n\tPostgreSQL: FAILED (");

        var nagios = await Check(home, "--nagios", "all");
        nagios.ExitCode.Should().Be(0);
        nagios.Stdout.Should().Be("BARMAN OK - Ready to serve the Espresso backup for pg1 * IGNORING: pg2|pg1_wals=0B pg2_wals=0B\n");
    }

    [Fact]
    public async Task Check_unresolvable_host_fails_postgresql()
    {
        using var home = Home(new Dictionary<string, string> { ["conninfo"] = "host=no-such-host.invalid user=postgres dbname=postgres" });
        var r = await Check(home, "pg1");
        r.ExitCode.Should().Be(1);
        r.StdoutLines[1].Should().StartWith("\tPostgreSQL: FAILED (connection to server at \"no-such-host.invalid\", port 5432 failed: ")
            .And.EndWith("; check 'conninfo' of pg1 and that PostgreSQL is running and reachable)");
        r.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Check_broken_conninfo_fails_postgresql_without_stack_trace()
    {
        using var home = Home(new Dictionary<string, string> { ["conninfo"] = "host='unterminated" });
        var r = await Check(home, "pg1");
        r.ExitCode.Should().Be(1);
        r.StdoutLines[1].Should().StartWith("\tPostgreSQL: FAILED (").And.EndWith("; check 'conninfo' of pg1 and that PostgreSQL is running and reachable)");
        r.Stderr.Should().BeEmpty();
        r.Stdout.Should().NotContain("   at ");
    }

    [Fact]
    public async Task Check_invalid_check_timeout_is_a_usage_error()
    {
        using var home = Home();
        var r = await Check(home, "--check-timeout", "-1", "pg1");
        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("argument --check-timeout: '-1' is not a valid non negative integer");
    }
}

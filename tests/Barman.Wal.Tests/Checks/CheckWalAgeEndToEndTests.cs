using System.Globalization;
using System.Text.RegularExpressions;
using Barman.Wal.Tests.Backups;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Checks;

/// <summary>
/// The built CLI's <c>check</c> rows <c>wal maximum age</c> and <c>wal size</c> over a Barman backup catalog
/// (spec: status §7), with PostgreSQL unreachable: both rows are computed from the catalogs alone.
/// </summary>
public sealed partial class CheckWalAgeEndToEndTests
{
    private const long Segment = 16 * 1024 * 1024;

    private static BarmanHome Home(string? maximumAge, params (string Name, TimeSpan Ago)[] wals)
    {
        var home = new BarmanHome();
        var options = new Dictionary<string, string>
        {
            ["conninfo"] = $"host=127.0.0.1 port={FreePort.Next()} user=postgres dbname=postgres connect_timeout=2",
            ["archiver"] = "on",
        };
        if (maximumAge is not null)
            options["last_wal_maximum_age"] = maximumAge;
        home.WriteConfig(options);
        Directory.CreateDirectory(home.WalsDirectory());
        var now = DateTimeOffset.UtcNow;
        File.WriteAllText(home.XlogDbPath(), string.Concat(wals.Select(w =>
            string.Create(CultureInfo.InvariantCulture, $"{w.Name}\t{Segment}\t{(now - w.Ago).ToUnixTimeMilliseconds() / 1000.0:0.0##}\tNone\n"))));
        return home;
    }

    private static (string Name, TimeSpan Ago) Wal(int segment, TimeSpan ago) => ($"0000000100000000000000{segment:X2}", ago);

    private static string[] WalRows(string stdout) =>
        [.. stdout.Split('\n').Where(l => l.StartsWith("\twal maximum age:", StringComparison.Ordinal) || l.StartsWith("\twal size:", StringComparison.Ordinal))];

    [GeneratedRegex(@"^\twal maximum age: OK \(interval provided: 2 days, latest wal age: 16 minutes(, \d+ seconds?)?\)$")]
    private static partial Regex SixteenMinutesOk();

    [GeneratedRegex(@"^\twal maximum age: FAILED \(interval provided: 1 hour, latest wal age: 2 days, 1 hour, 51 minutes(, \d+ seconds?)?\)$")]
    private static partial Regex TwoDaysFailed();

    [Fact]
    public async Task Last_available_backup_gives_the_size_after_its_end_wal_and_the_age_of_the_last_catalog_entry()
    {
        // Backup at …01; …02–…04 archived after it; …04 is the last line although …03 is newer.
        using var home = Home("2 days", Wal(1, TimeSpan.FromHours(3)), Wal(2, TimeSpan.FromHours(2)), Wal(3, TimeSpan.FromSeconds(1)), Wal(4, TimeSpan.FromMinutes(16)));
        BarmanBackups.Write(home.ServerDirectory(), "20261207T100000", "DONE", "000000010000000000000001", "000000010000000000000001");
        BarmanBackups.Write(home.ServerDirectory(), "20261207T120000", "FAILED", "000000010000000000000003", "000000010000000000000003");

        var console = await ToolRunner.RunAsync(home, ["check", "pg1"]);
        var rows = WalRows(console.Stdout);
        rows.Should().HaveCount(2, console.ToString());
        rows[0].Should().MatchRegex(SixteenMinutesOk().ToString());
        rows[1].Should().Be("\twal size: OK (48.0 MiB)");

        var json = await ToolRunner.RunAsync(home, ["-f", "json", "check", "pg1"]);
        json.Stdout.Should().Contain("\"wal_size\": {\"hint\": \"48.0 MiB\", \"status\": \"OK\"}");

        var nagios = await ToolRunner.RunAsync(home, ["check", "--nagios", "pg1"]);
        nagios.Stdout.Should().Contain("pg1_wals=50331648B");
    }

    [Fact]
    public async Task An_old_last_wal_fails_the_age_row_and_exits_1_while_a_waiting_backup_counts_as_available()
    {
        // WAITING_FOR_WALS …02 is the last available backup (the FAILED one after it does not count).
        using var home = Home("1 hour", Wal(1, TimeSpan.FromDays(3)), Wal(2, TimeSpan.FromDays(3)), Wal(3, new TimeSpan(2, 1, 51, 0)));
        BarmanBackups.Write(home.ServerDirectory(), "20261207T100000", "DONE", "000000010000000000000001", "000000010000000000000001");
        BarmanBackups.Write(home.ServerDirectory(), "20261207T110000", "WAITING_FOR_WALS", "000000010000000000000002", "000000010000000000000002");
        BarmanBackups.Write(home.ServerDirectory(), "20261207T120000", "FAILED", "000000010000000000000003", "000000010000000000000003");

        var console = await ToolRunner.RunAsync(home, ["check", "pg1"]);
        console.ExitCode.Should().Be(1);
        var rows = WalRows(console.Stdout);
        rows[0].Should().MatchRegex(TwoDaysFailed().ToString());
        rows[1].Should().Be("\twal size: OK (16.0 MiB)");
    }

    [Fact]
    public async Task Without_backups_or_with_an_empty_range_the_age_row_fails_and_the_size_is_zero()
    {
        using var home = Home("1 week", Wal(1, TimeSpan.FromMinutes(1)));
        var expected = new[]
        {
            "\twal maximum age: FAILED (No WAL files archived for last backup; take a backup with Barman, or unset last_wal_maximum_age)",
            "\twal size: OK (0 B)",
        };

        WalRows((await ToolRunner.RunAsync(home, ["check", "pg1"])).Stdout).Should().Equal(expected);

        BarmanBackups.Write(home.ServerDirectory(), "20261207T100000", "DONE", "000000010000000000000005", "000000010000000000000005");
        WalRows((await ToolRunner.RunAsync(home, ["check", "pg1"])).Stdout).Should().Equal(expected);
    }

    [Fact]
    public async Task Without_a_limit_the_age_row_passes_and_the_size_is_still_measured()
    {
        using var home = Home(null, Wal(1, TimeSpan.FromDays(30)), Wal(2, TimeSpan.FromDays(30)));
        BarmanBackups.Write(home.ServerDirectory(), "20261207T100000", "DONE", "000000010000000000000001", "000000010000000000000001");

        WalRows((await ToolRunner.RunAsync(home, ["check", "pg1"])).Stdout).Should().Equal(
            "\twal maximum age: OK (no last_wal_maximum_age provided)", "\twal size: OK (16.0 MiB)");
    }
}

using Barman.Wal.Tests.Backups;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Retention;

/// <summary><c>purge-wal</c> run as a process on Barman-made archives and backup catalogs (spec: retention).</summary>
public sealed class PurgeWalEndToEndTests : IDisposable
{
    private readonly BarmanHome _home = new();

    public PurgeWalEndToEndTests() => _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on" });

    public void Dispose() => _home.Dispose();

    private string Server => _home.ServerDirectory();

    private static string Wal(int segment, int timeline = 1) => $"{timeline:X8}00000000{segment:X8}";

    /// <summary>The archive of spec retention §9: …01–…0A, two labels, a partial, a history file.</summary>
    private SyntheticArchive RecordedRunArchive()
    {
        var archive = new SyntheticArchive(_home);
        for (var i = 1; i <= 10; i++)
        {
            archive.Add(Wal(i));
            if (i == 3)
                archive.Add(Wal(3) + ".00000028.backup", 62);
            if (i == 4)
                archive.Add(Wal(4) + ".partial");
            if (i == 5)
                archive.Add(Wal(5) + ".00000028.backup", 62);
        }

        archive.Add("00000002.history", 41);
        archive.WriteCatalog();
        return archive;
    }

    private Task<ProcessResult> Run(params string[] args) => ToolRunner.RunAsync(_home, ["purge-wal", .. args]);

    [Fact]
    public async Task With_backups_removes_what_Barman_removes_before_the_oldest_available_backup()
    {
        var archive = RecordedRunArchive();
        BarmanBackups.Write(Server, "20261207T090000", "FAILED", null, null);
        BarmanBackups.Write(Server, "20261207T100000", "STARTED", "000000010000000000000002", null);
        BarmanBackups.Write(Server, "20261207T120000", "DONE", Wal(5), Wal(5), legacy: true);
        BarmanBackups.Write(Server, "20261207T130000", "WAITING_FOR_WALS", Wal(9), Wal(10));
        string[] gone = [Wal(1), Wal(2), Wal(3), Wal(3) + ".00000028.backup", Wal(4), Wal(4) + ".partial"];
        var before = archive.StoredNames();

        var dry = await Run("--dry-run", "pg1");

        dry.ExitCode.Should().Be(0, dry.ToString());
        dry.StdoutLines.Should().Equal(
            new[] { $"WAL files purge-wal would remove for server pg1 (before {Wal(5)} (begin of the oldest available backup 20261207T120000)):" }
                .Concat(gone.Select(n => $"\t{n}\t{(n.EndsWith(".backup", StringComparison.Ordinal) ? 62 : 16)}"))
                .Append("Would remove 6 WAL files, 142 bytes (142 B), for server pg1"));
        archive.StoredNames().Should().Equal(before);

        var run = await Run("pg1");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Skip(1).SkipLast(1).Should().Equal(gone.Select(n => "\t" + n));
        var kept = before.Except(gone).ToList();
        archive.StoredNames().Should().Equal(kept);
        _home.ReadXlogDb().Should().Equal(archive.LinesOf(kept), "the kept lines stay in archiving order");
        Directory.Exists(Path.Combine(archive.Wals, "0000000100000000")).Should().BeTrue();

        var again = await Run("pg1");
        again.ExitCode.Should().Be(0);
        again.StdoutLines.Should().ContainSingle().Which.Should().StartWith("No WAL to purge for server pg1");
    }

    [Fact]
    public async Task Timelines_of_newer_backups_stay_protected()
    {
        // spec retention §3's timeline example, the 10:00 backup gone
        var archive = new SyntheticArchive(_home);
        for (var i = 1; i <= 8; i++)
            archive.Add(Wal(i));
        archive.Add("00000002.history", 41);
        for (var i = 5; i <= 7; i++)
            archive.Add(Wal(i, timeline: 2));
        archive.WriteCatalog();
        BarmanBackups.Write(Server, "20261207T100000", "FAILED", null, null);
        BarmanBackups.Write(Server, "20261207T110000", "DONE", Wal(6, 2), Wal(6, 2));
        BarmanBackups.Write(Server, "20261207T120000", "DONE", Wal(8), Wal(8));

        var run = await Run("pg1");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Skip(1).SkipLast(1).Should().Equal("\t" + Wal(5, 2));
        archive.StoredNames().Should().NotContain(Wal(5, 2)).And.Contain(Wal(1)).And.HaveCount(11);
    }

    [Fact]
    public async Task Without_backups_nothing_goes_unless_a_policy_says_so()
    {
        var archive = new SyntheticArchive(_home);
        for (var i = 1; i <= 6; i++)
            archive.Add(Wal(i));
        archive.Add("00000002.history", 41).Add(Wal(1, 2)).Add(Wal(2, 2));
        archive.WriteCatalog();
        var all = archive.StoredNames();

        var none = await Run("pg1");

        none.ExitCode.Should().Be(0, none.ToString());
        none.StdoutLines.Should().ContainSingle().Which.Should().StartWith("No backup and no WAL purge policy for server pg1: nothing purged");
        archive.StoredNames().Should().Equal(all);

        var before = await Run("--before", Wal(2, 2), "pg1");

        before.ExitCode.Should().Be(0, before.ToString());
        // every timeline-1 file sorts before, but the newest segment of timeline 1 and the history file stay
        string[] gone = [Wal(1), Wal(2), Wal(3), Wal(4), Wal(5), Wal(1, 2)];
        before.StdoutLines.Skip(1).SkipLast(1).Should().Equal(gone.Select(n => "\t" + n));
        archive.StoredNames().Should().Equal(all.Except(gone));
        _home.ReadXlogDb().Should().Equal(archive.LinesOf(all.Except(gone)));
    }

    [Fact]
    public async Task Keep_size_from_the_server_option_and_keep_days_from_the_command_line_with_json()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var archive = new SyntheticArchive(_home);
        for (var i = 1; i <= 4; i++)
            archive.Add(Wal(i), size: 100, time: now - 10 * 86400 + i);
        for (var i = 5; i <= 8; i++)
            archive.Add(Wal(i), size: 100, time: now - 3600 + i);
        archive.WriteCatalog();
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on", ["purge_wal_keep_size"] = "700" });

        var days = await ToolRunner.RunAsync(_home, ["-f", "json", "purge-wal", "--keep-days", "5", "pg1"]);

        days.ExitCode.Should().Be(0, days.ToString());
        days.Stdout.Should().Be(
            "{\"pg1\": {\"count\": 4, \"dry_run\": false, \"rule\": \"before 000000010000000000000005 (keep 5 days)\", \"size\": \"400 B\", \"size_bytes\": 400, " +
            "\"wal_files\": [" + string.Join(", ", Enumerable.Range(1, 4).Select(i => $"{{\"name\": \"{Wal(i)}\", \"size_bytes\": 100}}")) + "]}}");
        archive.StoredNames().Should().Equal(Enumerable.Range(5, 4).Select(i => Wal(i)));

        var size = await Run("pg1");

        size.ExitCode.Should().Be(0, size.ToString());
        size.StdoutLines.Should().ContainSingle().Which.Should().StartWith("No WAL to purge for server pg1", "700 bytes hold all 4 left");
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on", ["purge_wal_keep_size"] = "250" });
        size = await Run("pg1");
        size.StdoutLines.Skip(1).SkipLast(1).Should().Equal("\t" + Wal(5), "\t" + Wal(6));
        _home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().Equal(Wal(7), Wal(8));
    }

    [Fact]
    public async Task A_damaged_backup_catalog_stops_the_purge_of_that_server()
    {
        var archive = RecordedRunArchive();
        BarmanBackups.Write(Server, "20261207T120000", "DONE", Wal(5), Wal(5));
        var damaged = BarmanBackups.WriteRaw(Server, "20261207T100000", "status DONE\n");
        var before = _home.ReadXlogDb();

        var run = await Run("pg1");

        run.ExitCode.Should().Be(1);
        run.StderrLines.Should().Equal(
            $"ERROR: {damaged}: invalid line status DONE",
            "ERROR: Refusing to purge WAL of server pg1: the backup catalog has unreadable entries (fix or remove them)");
        _home.ReadXlogDb().Should().Equal(before);
        archive.StoredNames().Should().HaveCount(14);
    }

    [Fact]
    public async Task Many_due_files_in_one_directory_never_take_the_kept_ones_with_them()
    {
        // Barman's ≥256 rule would rmtree the directory: 400 files, 299 due → all 400 gone (spec retention §5)
        var archive = new SyntheticArchive(_home);
        for (var i = 0; i < 400; i++)
            archive.Add(Wal(i), size: 1);
        archive.WriteCatalog();

        var run = await Run("--before", Wal(299), "pg1");

        run.ExitCode.Should().Be(0, run.ToString());
        archive.StoredNames().Should().Equal(Enumerable.Range(299, 101).Select(i => Wal(i)));
        _home.ReadXlogDb().Should().HaveCount(101);
    }

    [Fact]
    public async Task A_63_from_the_pre_retry_hook_stops_cleanly_and_the_next_run_finishes()
    {
        var archive = RecordedRunArchive();
        BarmanBackups.Write(Server, "20261207T120000", "DONE", Wal(5), Wal(5));
        var counter = Path.Combine(_home.Root, "count");
        var hook = Path.Combine(_home.Root, "pre-retry.sh");
        File.WriteAllText(hook, $"#!/bin/sh\necho x >> {counter}\n[ $(wc -l < {counter}) -eq 3 ] && exit 63\nexit 0\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on", ["pre_wal_delete_retry_script"] = hook });

        var run = await Run("pg1");

        run.ExitCode.Should().Be(1, run.ToString());
        run.StderrLines.Should().Contain($"EXCEPTION: Abort 'pre_wal_delete_retry_script' retry hook script ({hook}, exit code: 63)");
        archive.StoredNames().Should().NotContain([Wal(1), Wal(2)]).And.Contain(Wal(3));
        AssertEveryLineHasItsFile(archive);

        var next = await Run("pg1");

        next.ExitCode.Should().Be(0, next.ToString());
        archive.StoredNames().Should().NotContain([Wal(3), Wal(4), Wal(4) + ".partial", Wal(3) + ".00000028.backup"]).And.HaveCount(8);
        AssertEveryLineHasItsFile(archive);
    }

    [Theory]
    [InlineData("purge-catalog-rewritten")]
    [InlineData("wal-delete:3")]
    public async Task A_kill_mid_purge_leaves_no_line_without_its_file_and_the_next_run_finishes(string fault)
    {
        var archive = RecordedRunArchive();
        BarmanBackups.Write(Server, "20261207T120000", "DONE", Wal(5), Wal(5));

        var killed = await ToolRunner.RunAsync(_home, ["purge-wal", "pg1"], new Dictionary<string, string?> { ["BARMAN_WAL_FAULT"] = fault });

        killed.ExitCode.Should().NotBe(0);
        _home.ReadXlogDb().Should().HaveCount(8, "the catalog was rewritten before any deletion");
        AssertEveryLineHasItsFile(archive);
        archive.StoredNames().Count.Should().BeGreaterThan(8, "some chosen files are left as orphans");

        var next = await Run("pg1");

        next.ExitCode.Should().Be(0, next.ToString());
        archive.StoredNames().Should().HaveCount(8);
        _home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().Equal(archive.StoredNames().OrderBy(n => n, StringComparer.Ordinal)
            .OrderBy(n => n.EndsWith(".history", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--keep-size", "lots", "argument --keep-size: 'lots' is not a valid size (e.g. 50GB, 512MiB, 1000000)")]
    [InlineData("--before", "00000001.history", "argument --before: '00000001.history' is not a WAL segment name (24 hexadecimal digits)")]
    public async Task Bad_policy_values_are_usage_errors(string option, string value, string error)
    {
        var run = await Run(option, value, "pg1");

        run.ExitCode.Should().Be(2);
        run.StderrLines.Should().Contain("barman-wal: error: " + error);
    }

    private void AssertEveryLineHasItsFile(SyntheticArchive archive)
    {
        foreach (var line in _home.ReadXlogDb())
            File.Exists(archive.PathOf(line.Split('\t')[0])).Should().BeTrue(line);
    }
}

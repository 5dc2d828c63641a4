using System.Globalization;
using Barman.Wal.Catalog;
using Barman.Wal.Locking;
using Barman.Wal.Platform;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Archiving;

/// <summary>archive-wal run as a process over real PostgreSQL WAL, local storage, no compression.</summary>
public sealed class ArchiveWalEndToEndTests(RealWalFixture wal) : IClassFixture<RealWalFixture>, IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private void Configure(Dictionary<string, string>? extra = null)
    {
        // Real WAL here, so the product default (header validation on) applies; BarmanHome turns it off
        // globally for the suites that feed synthetic bytes.
        var options = new Dictionary<string, string>
        {
            ["description"] = "test", ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on",
        };
        foreach (var (k, v) in extra ?? [])
            options[k] = v;
        _home.WriteConfig(options);
        _home.CreateServerDirectories();
    }

    private Task<ProcessResult> ArchiveAsync(params string[] servers) => ToolRunner.RunAsync(_home, ["archive-wal", .. servers]);

    [Fact]
    public async Task ArchiveWal_moves_real_segments_into_hash_directories_and_catalogues_them()
    {
        Configure();
        var names = wal.Segments.Take(3).Append(wal.BackupLabel).Order(StringComparer.Ordinal).ToArray();
        wal.CopyTo(_home.IncomingDirectory(), names);
        var stats = names.ToDictionary(n => n, n => FileStatus.TryGet(Path.Combine(_home.IncomingDirectory(), n))!.Value);

        var result = await ArchiveAsync("pg1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(
            new[] { "Processing xlog segments from file archival for pg1" }.Concat(names.Select(n => "\t" + n)));
        result.Stderr.Should().BeEmpty();
        Directory.GetFileSystemEntries(_home.IncomingDirectory()).Should().BeEmpty();
        foreach (var name in names)
        {
            var stored = Path.Combine(_home.WalsDirectory(), name[..16], name);
            File.ReadAllBytes(stored).Should().Equal(wal.Read(name));
        }

        File.ReadAllText(_home.XlogDbPath()).Should().Be(string.Concat(names.Select(n =>
            $"{n}\t{stats[n].Size}\t{PythonFloat.Format(stats[n].PythonModifyTime)}\tNone\tNone\n")));
    }

    [Fact]
    public async Task ArchiveWal_second_run_prints_no_file_found()
    {
        Configure(new() { ["streaming_archiver"] = "on", ["slot_name"] = "barman" });
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0]);
        (await ArchiveAsync("pg1")).ExitCode.Should().Be(0);

        var result = await ArchiveAsync("pg1");

        result.ExitCode.Should().Be(0);
        result.StdoutLines.Should().Equal(
            "Processing xlog segments from streaming for pg1",
            "\tno file found",
            "Processing xlog segments from file archival for pg1",
            "\tno file found");
    }

    [Fact]
    public async Task ArchiveWal_streaming_keeps_the_partial_and_archives_the_rest()
    {
        Configure(new() { ["streaming_archiver"] = "on", ["slot_name"] = "barman", ["archiver"] = "off" });
        var streaming = _home.StreamingDirectory();
        wal.CopyTo(streaming, wal.Segments[0], wal.Segments[1]);
        File.Copy(Path.Combine(streaming, wal.Segments[1]), Path.Combine(streaming, wal.Segments[2] + ".partial"));

        var result = await ArchiveAsync("pg1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(
            "Processing xlog segments from streaming for pg1 (batch size: 2)",
            "\t" + wal.Segments[0],
            "\t" + wal.Segments[1]);
        Directory.GetFiles(streaming).Select(Path.GetFileName).Should().Equal(wal.Segments[2] + ".partial");
        _home.ReadXlogDb().Should().HaveCount(2);
    }

    [Fact]
    public async Task ArchiveWal_streaming_without_partial_keeps_the_last_segment()
    {
        Configure(new() { ["streaming_archiver"] = "on", ["slot_name"] = "barman", ["archiver"] = "off" });
        wal.CopyTo(_home.StreamingDirectory(), wal.Segments[0]);

        var result = await ArchiveAsync("pg1");

        result.StdoutLines.Should().Equal("Processing xlog segments from streaming for pg1", "\tno file found");
        File.Exists(Path.Combine(_home.StreamingDirectory(), wal.Segments[0])).Should().BeTrue();
    }

    [Fact]
    public async Task ArchiveWal_duplicates_and_unknown_entries_follow_barman()
    {
        // Barman's exact duplicate behaviour: the "different" copy is synthetic bytes, which header
        // validation would quarantine as .corrupt before the duplicate check.
        Configure(new() { ["archiver_batch_size"] = "0", ["wal_header_validation"] = "off" });
        var incoming = _home.IncomingDirectory();
        wal.CopyTo(incoming, wal.Segments[0], wal.Segments[1]);
        (await ArchiveAsync("pg1")).ExitCode.Should().Be(0);
        wal.CopyTo(incoming, wal.Segments[0], wal.Segments[2]);
        File.WriteAllBytes(Path.Combine(incoming, wal.Segments[1]), new byte[1024]);
        Directory.CreateDirectory(Path.Combine(incoming, "archive_status"));
        File.WriteAllText(Path.Combine(incoming, "foo.txt"), "x");
        File.WriteAllText(Path.Combine(incoming, wal.Segments[3] + ".tmp"), "x");
        File.WriteAllText(Path.Combine(incoming, ".hidden"), "x");

        var result = await ArchiveAsync("pg1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(
            "Processing xlog segments from file archival for pg1 (batch size: 3)",
            "\t" + wal.Segments[0],
            "\t" + wal.Segments[1],
            $"\tError: {wal.Segments[1]} is already present in server pg1. File moved to errors directory.",
            "\t" + wal.Segments[2],
            "Some unknown objects have been found while processing xlog segments for pg1. Objects moved to errors directory:",
            "\tarchive_status",
            "\tfoo.txt");
        Directory.GetFileSystemEntries(incoming).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Should().Equal(".hidden", wal.Segments[3] + ".tmp");
        var errors = Directory.GetFileSystemEntries(_home.ErrorsDirectory()).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        errors.Should().HaveCount(3);
        errors[0].Should().MatchRegex($"^{wal.Segments[1]}\\.\\d{{8}}T\\d{{6}}Z\\.duplicate$");
        errors[1].Should().MatchRegex("^archive_status\\.\\d{8}T\\d{6}Z\\.unknown$");
        errors[2].Should().MatchRegex("^foo\\.txt\\.\\d{8}T\\d{6}Z\\.unknown$");
        _home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().Equal(wal.Segments[0], wal.Segments[1], wal.Segments[2]);
    }

    [Fact]
    public async Task ArchiveWal_batch_size_limits_the_run()
    {
        Configure(new() { ["archiver_batch_size"] = "2" });
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments.Take(3).ToArray());

        var result = await ArchiveAsync("pg1");

        result.StdoutLines.Should().Equal(
            "Processing xlog segments from file archival for pg1 (batch size: 2)",
            "\t" + wal.Segments[0],
            "\t" + wal.Segments[1]);
        Directory.GetFiles(_home.IncomingDirectory()).Select(Path.GetFileName).Should().Equal(wal.Segments[2]);
    }

    [Fact]
    public async Task ArchiveWal_with_lock_held_skips_and_exits_0()
    {
        Configure();
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0]);
        using var held = LockFile.TryAcquire(ServerLocks.ArchiveWal(_home.Home, "pg1"));

        var result = await ArchiveAsync("pg1");

        result.ExitCode.Should().Be(0);
        result.StdoutLines.Should().Equal("Another archive-wal process is already running on server pg1. Skipping to the next server");
        File.Exists(Path.Combine(_home.IncomingDirectory(), wal.Segments[0])).Should().BeTrue();
    }

    [Fact]
    public async Task ArchiveWal_unknown_server_is_error_exit_1()
    {
        Configure();
        var result = await ArchiveAsync("nope");
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Be("ERROR: Unknown server 'nope'\n");
        result.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_inactive_server_is_skipped_exit_0()
    {
        Configure(new() { ["active"] = "false" });
        var result = await ArchiveAsync("pg1");
        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Be("Skipping inactive server 'pg1'\n");
    }

    [Fact]
    public async Task ArchiveWal_all_runs_every_active_server_in_name_order()
    {
        _home.WriteConfig(new Dictionary<string, string> { ["archiver"] = "on", ["conninfo"] = "host=127.0.0.1" }, "pg2");
        _home.WriteConfig(new Dictionary<string, string> { ["archiver"] = "on", ["conninfo"] = "host=127.0.0.1", ["active"] = "false" }, "pg3");
        Configure();
        wal.CopyTo(_home.IncomingDirectory("pg2"), wal.Segments[0]);

        var result = await ArchiveAsync("all");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(
            "Processing xlog segments from file archival for pg1",
            "\tno file found",
            "Processing xlog segments from file archival for pg2",
            "\t" + wal.Segments[0]);
    }

    [Fact]
    public async Task ArchiveWal_quiet_prints_nothing_and_still_archives()
    {
        Configure();
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0]);
        var result = await ToolRunner.RunAsync(_home, ["-q", "archive-wal", "pg1"]);
        result.ExitCode.Should().Be(0);
        result.Stdout.Should().BeEmpty();
        _home.ReadXlogDb().Should().ContainSingle();
    }

    [Fact]
    public async Task ArchiveWal_json_format_prints_one_object_at_exit()
    {
        Configure();
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0]);
        var result = await ToolRunner.RunAsync(_home, ["-f", "json", "archive-wal", "pg1"]);
        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Be($"{{\"_INFO\": [\"Processing xlog segments from file archival for pg1\", \"\\t{wal.Segments[0]}\"]}}");
    }

    [Fact]
    public async Task ArchiveWal_takes_over_a_barman_34_home_with_legacy_catalog()
    {
        Configure();
        var wals = _home.WalsDirectory();
        Directory.CreateDirectory(Path.Combine(wals, wal.Segments[0][..16]));
        wal.CopyTo(Path.Combine(wals, wal.Segments[0][..16]), wal.Segments[0]);
        var legacy = $"{wal.Segments[0]}\t16777216\t1795488859.3288012\tNone\n";
        File.WriteAllText(Path.Combine(wals, "xlog.db"), legacy);
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0], wal.Segments[1]);

        var result = await ArchiveAsync("pg1");

        result.ExitCode.Should().Be(0, result.ToString());
        var lines = File.ReadAllLines(Path.Combine(wals, "xlog.db"));
        lines.Should().HaveCount(2);
        lines[0].Should().Be(legacy.TrimEnd('\n'));
        lines[1].Split('\t').Should().HaveCount(4).And.StartWith(wal.Segments[1]);
        File.Exists(_home.XlogDbPath()).Should().BeFalse();
    }

    [Fact]
    public async Task ArchiveWal_matching_duplicate_without_catalog_line_repairs_the_catalog()
    {
        // The state a crash between storing and cataloguing leaves: stored, source still in incoming.
        Configure();
        var hash = Path.Combine(_home.WalsDirectory(), wal.Segments[0][..16]);
        wal.CopyTo(hash, wal.Segments[0]);
        File.WriteAllText(_home.XlogDbPath(), "");
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0]);

        var result = await ArchiveAsync("pg1");

        result.ExitCode.Should().Be(0, result.ToString());
        Directory.GetFiles(_home.IncomingDirectory()).Should().BeEmpty();
        _home.ReadXlogDb().Should().ContainSingle().Which.Should().StartWith(wal.Segments[0] + "\t16777216\t");
    }

    [Fact]
    public async Task ArchiveWal_missing_config_file_is_one_line_exit_1()
    {
        var result = await ToolRunner.RunAsync(["-c", "/nonexistent/barman.conf", "archive-wal", "pg1"]);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Be("Configuration file '/nonexistent/barman.conf' does not exist\n");
    }

    [Fact]
    public async Task ArchiveWal_without_server_argument_is_usage_error_exit_2()
    {
        Configure();
        var result = await ToolRunner.RunAsync(_home, ["archive-wal"]);
        result.ExitCode.Should().Be(2);
        result.Stderr.Should().StartWith("usage: barman-wal");
        result.Stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task ArchiveWal_logs_in_barman_layout()
    {
        Configure();
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0]);
        (await ArchiveAsync("pg1")).ExitCode.Should().Be(0);
        var log = File.ReadAllLines(_home.LogFile);
        log.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l,
            $@"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d,\d{{3}} \[\d+\] barman\.wal_archiver INFO: Archiving segment 1 of 1 from file archival: pg1/{wal.Segments[0]}$"));
        log.Should().Contain(l => l.EndsWith(" barman.server DEBUG: Starting archive-wal for server pg1", StringComparison.Ordinal));
        _ = CultureInfo.InvariantCulture;
    }
}

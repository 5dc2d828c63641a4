using Barman.Wal.Archiving;
using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Hooks;
using Barman.Wal.Output;
using Barman.Wal.Storage;
using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// Faults of the environment, end to end over real WAL: a full disk, a read-only archive, a file that
/// vanishes after listing, locks left by a killed process, concurrent runs. Each names the file and the
/// cause in one line, exits with its documented code (docs/reliability.md) and loses nothing.
/// </summary>
[Collection(RealWalCollection.Name)]
public sealed class EnvironmentFaultTests(RealWalFixture wal) : IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private ArchiveState Prepare(int segments, string? compression = null)
    {
        var options = new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on" };
        if (compression is not null)
            options["compression"] = compression;
        _home.WriteConfig(options);
        _home.CreateServerDirectories();
        var names = wal.Segments.Take(segments).ToArray();
        wal.CopyTo(_home.IncomingDirectory(), names);
        return new ArchiveState(_home, names.ToDictionary(n => n, wal.Read, StringComparer.Ordinal));
    }

    private Task<ProcessResult> ArchiveAsync(IReadOnlyDictionary<string, string?>? environment = null) =>
        ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], environment);

    private static void ShouldBeOneCleanErrorLine(ProcessResult result, string cause)
    {
        result.StderrLines.Should().HaveCount(2, result.ToString());
        result.StderrLines[0].Should().StartWith("EXCEPTION: ").And.Contain(cause);
        result.StderrLines[1].Should().Be("See log file for more details.");
        (result.Stdout + result.Stderr).Should().NotContain("   at ").And.NotContain("Exception:");
    }

    [Fact]
    public async Task ArchiveWal_on_a_full_disk_exits_1_naming_the_file_and_keeps_the_sources()
    {
        var state = Prepare(3);
        using var tmpfs = await MountPoint.TmpfsAsync(_home.WalsDirectory(), 20);

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        ShouldBeOneCleanErrorLine(result, "No space left on device");
        result.StderrLines[0].Should().Contain(_home.WalsDirectory() + "/");
        state.CheckSafe().Should().BeEmpty();
        Directory.GetFiles(_home.IncomingDirectory()).Should().NotBeEmpty("at most one segment fits");
        _home.ListArchive().Should().NotContain(p => p.EndsWith(".tmp", StringComparison.Ordinal), "a failed copy is removed");

        await tmpfs.ResizeAsync(80);
        var retry = await ArchiveAsync();

        retry.ExitCode.Should().Be(0, retry.ToString());
        state.CheckComplete().Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_on_a_read_only_archive_exits_1_naming_the_path_and_keeps_the_sources()
    {
        var state = Prepare(2, "gzip");
        using (await MountPoint.ReadOnlyAsync(_home.WalsDirectory()))
        {
            var result = await ArchiveAsync();

            result.ExitCode.Should().Be(1, result.ToString());
            ShouldBeOneCleanErrorLine(result, "Read-only file system");
            result.StderrLines[0].Should().Contain(_home.WalsDirectory());
            state.CheckSafe().Should().BeEmpty();
            Directory.GetFiles(_home.IncomingDirectory()).Should().HaveCount(2);
        }

        (await ArchiveAsync()).ExitCode.Should().Be(0);
        state.CheckComplete().Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_file_vanishing_after_listing_gives_one_warning_and_archives_the_rest()
    {
        var state = Prepare(3);
        var gone = Path.Combine(_home.IncomingDirectory(), wal.Segments[1]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = Context(new BarmanOutput(stdout, stderr, OutputFormat.Console, quiet: false, debug: false));
        var archiver = new VanishingArchiver(context, _home.IncomingDirectory(), gone);

        var result = await archiver.ArchiveAsync(verbose: true);

        result.Processed.Should().Be(2);
        stderr.ToString().Should().Be($"WARNING: {gone} vanished before it could be archived (nothing stored, nothing lost)\n");
        stdout.ToString().Should().Be($"Processing xlog segments from file archival for pg1\n\t{wal.Segments[0]}\n\t{wal.Segments[1]}\n\t{wal.Segments[2]}\n");
        _home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().Equal(wal.Segments[0], wal.Segments[2]);
        _home.ListArchive().Should().HaveCount(2);
        Directory.GetFiles(_home.IncomingDirectory()).Should().BeEmpty();
        state.CatalogNames().Should().HaveCount(2);
    }

    [Fact]
    public async Task ArchiveWal_after_a_killed_run_finds_its_locks_not_busy()
    {
        var state = Prepare(2);
        var killed = await ArchiveAsync(new Dictionary<string, string?> { ["BARMAN_WAL_FAULT"] = "after-commit" }); // holding both locks
        killed.ExitCode.Should().Be(137, killed.ToString());
        File.Exists(Path.Combine(_home.Home, ".pg1-archive-wal.lock")).Should().BeTrue("the killed process leaves its lock file");
        File.Exists(Path.Combine(_home.Home, ".pg1-xlogdb.lock")).Should().BeTrue();

        var result = await ArchiveAsync(new Dictionary<string, string?> { ["BARMAN_WAL_FAULT"] = null });

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().NotContain("Another archive-wal process");
        result.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\t" + wal.Segments[0], "\t" + wal.Segments[1]); // the first as a matching duplicate
        state.CheckComplete().Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_with_a_stale_lock_file_naming_a_dead_pid_is_not_busy()
    {
        var state = Prepare(1);
        File.WriteAllText(Path.Combine(_home.Home, ".pg1-archive-wal.lock"), "999999\n");

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().NotContain("Another archive-wal process");
        state.CheckComplete().Should().BeEmpty();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public async Task ArchiveWal_concurrent_runs_archive_each_file_once(int runs)
    {
        var state = Prepare(3, "gzip");

        var results = await Task.WhenAll(Enumerable.Range(0, runs).Select(_ => ArchiveAsync()));

        results.Should().OnlyContain(r => r.ExitCode == 0 && r.Stderr.Length == 0, string.Join("\n", results.Select(r => r.ToString())));
        var busy = "Another archive-wal process is already running on server pg1. Skipping to the next server";
        var archiving = results.Where(r => r.StdoutLines.Any(l => l.StartsWith("\t0", StringComparison.Ordinal))).ToList();
        archiving.Should().ContainSingle("exactly one run holds the lock while files are there");
        archiving[0].StdoutLines.Where(l => l.StartsWith("\t0", StringComparison.Ordinal)).Should().Equal(wal.Segments.Take(3).Select(n => "\t" + n));
        results.Except(archiving).Should().OnlyContain(r =>
            r.StdoutLines.SequenceEqual(new[] { busy })
            || r.StdoutLines.SequenceEqual(new[] { "Processing xlog segments from file archival for pg1", "\tno file found" }));
        state.CheckComplete().Should().BeEmpty();
    }

    private WalArchiverContext Context(BarmanOutput output)
    {
        var reader = new RegistryContentReader(new WalCodecRegistry(), assumeCustomWhenUnrecognised: false);
        var walsDirectory = _home.WalsDirectory();
        return new WalArchiverContext(
            "pg1",
            new XlogDb("pg1", walsDirectory, null, _home.Home, new ContentReaderInspector(reader)),
            new LocalWalStorageStrategy(walsDirectory, new WalPipeline(null, null, reader)),
            NoArchiveHooks.Instance,
            new ErrorsDirectory(_home.ErrorsDirectory(), TimeProvider.System),
            reader,
            output,
            Serilog.Core.Logger.None,
            2)
        {
            HeaderGate = new WalHeaderGate(_home.ServerDirectory(), reader, uncheckableWhenUnrecognised: false),
        };
    }

    /// <summary>The real file archiver, with one file deleted right after the directory is listed.</summary>
    private sealed class VanishingArchiver(WalArchiverContext context, string incoming, string vanishing)
        : WalArchiver(context, "file archival", incoming, 0)
    {
        public override WalArchiverQueue GetNextBatch()
        {
            var batch = new FileWalArchiver(Context, SourceDirectory, BatchOption).GetNextBatch();
            File.Delete(vanishing);
            return batch;
        }
    }
}

using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;
using Barman.Wal.Tests.Reliability.Strace;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// The durability order proven from the system calls: the built barman-wal archives real PostgreSQL WAL
/// under <c>strace -f -y</c>, and <see cref="FsyncOrderChecker"/> checks every source it unlinked from
/// incoming/streaming (staged file fsynced, then named, then directory fsynced, then catalog line
/// written and fsynced, then unlink; a matching duplicate's stored file and directory fsynced first).
/// </summary>
[Collection(RealWalCollection.Name)]
public sealed class FsyncOrderEndToEndTests(RealWalFixture wal) : IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Plain_store_by_hard_link_keeps_the_fsync_order()
    {
        Configure("none");
        var names = Offer(_home.IncomingDirectory());

        var (removed, calls) = await ArchiveTracedAsync();

        removed.Should().Equal(names.Select(n => new RemovedSource(n, RemovalKind.Stored)));
        calls.Where(c => c.IsLink && c.Succeeded && c.Paths[0].StartsWith(_home.IncomingDirectory() + "/", StringComparison.Ordinal))
            .Should().HaveCount(names.Length, "each plain file is staged as a hard link of its source");
        AssertArchived(names);
    }

    [Fact]
    public async Task Gzip_pipelined_keeps_the_fsync_order()
    {
        Configure("gzip");
        var names = Offer(_home.IncomingDirectory());

        var (removed, calls) = await ArchiveTracedAsync();

        removed.Should().Equal(names.Select(n => new RemovedSource(n, RemovalKind.Stored)));
        StagedNames(calls).Should().OnlyContain(p => p.EndsWith(".compressed", StringComparison.Ordinal)).And.HaveCount(names.Length);
        AssertArchived(names);
    }

    [Fact]
    public async Task Gzip_with_a_pre_archive_hook_one_at_a_time_keeps_the_fsync_order()
    {
        Configure("gzip", new() { ["pre_archive_script"] = "true" });
        var names = Offer(_home.IncomingDirectory());

        var (removed, calls) = await ArchiveTracedAsync();

        removed.Should().Equal(names.Select(n => new RemovedSource(n, RemovalKind.Stored)));
        StagedNames(calls).Should().HaveCount(names.Length);
        AssertArchived(names);
    }

    [Fact]
    public async Task Streaming_directory_keeps_the_fsync_order_also_for_a_matching_duplicate()
    {
        Configure("gzip", new() { ["archiver"] = "off", ["streaming_archiver"] = "on", ["streaming_conninfo"] = "host=127.0.0.1", ["slot_name"] = "s" });
        var names = wal.Segments.Take(3).ToArray();
        wal.CopyTo(_home.StreamingDirectory(), names);

        var (removed, _) = await ArchiveTracedAsync();

        // without a .partial, the newest complete segment stays for pg_receivewal
        removed.Should().Equal(names.Take(2).Select(n => new RemovedSource(n, RemovalKind.Stored)));
        File.Exists(Path.Combine(_home.StreamingDirectory(), names[2])).Should().BeTrue();
        AssertArchived(names.Take(2).ToArray());

        // the first segment offered again: a matching duplicate from streaming, made durable first
        wal.CopyTo(_home.StreamingDirectory(), names[0]);
        var (again, _) = await ArchiveTracedAsync(alreadyCatalogued: names.Take(2).ToHashSet());
        again.Should().Equal(new RemovedSource(names[0], RemovalKind.MatchingDuplicate));
        AssertArchived(names.Take(2).ToArray());
    }

    [Fact]
    public async Task Run_after_a_crash_between_rename_and_directory_fsync_makes_the_duplicate_durable_first()
    {
        // The second file is renamed into place, then the process dies: no directory fsync, no catalog
        // line, its source still in incoming — the matching-duplicate case.
        Configure("none");
        var names = Offer(_home.IncomingDirectory());
        var crashed = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], new Dictionary<string, string?> { [Barman.Wal.Platform.FaultInjection.Variable] = "after-rename:2" });
        crashed.ExitCode.Should().Be(137, crashed.ToString());
        File.Exists(Path.Combine(_home.IncomingDirectory(), names[1])).Should().BeTrue();

        var (removed, _) = await ArchiveTracedAsync(alreadyCatalogued: new HashSet<string> { names[0] });

        removed.Should().Equal(
            names.Skip(1).Select((n, i) => new RemovedSource(n, i == 0 ? RemovalKind.MatchingDuplicate : RemovalKind.Stored)));
        AssertArchived(names);
    }

    [Fact]
    public async Task Matching_duplicates_one_at_a_time_are_fsynced_and_catalogued_before_removal()
    {
        Configure("gzip", new() { ["pre_archive_script"] = "true" });
        var names = Offer(_home.IncomingDirectory());
        (await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"])).ExitCode.Should().Be(0);
        wal.CopyTo(_home.IncomingDirectory(), names);
        // one stored copy lost its catalog line (the repair path): it must be written again, once
        var lines = _home.ReadXlogDb();
        File.WriteAllLines(_home.XlogDbPath(), lines.Where(l => !l.StartsWith(names[1] + "\t", StringComparison.Ordinal)));

        var (removed, calls) = await ArchiveTracedAsync(alreadyCatalogued: names.Where(n => n != names[1]).ToHashSet());

        removed.Should().Equal(names.Select(n => new RemovedSource(n, RemovalKind.MatchingDuplicate)));
        StagedNames(calls).Should().BeEmpty("nothing is stored again");
        AssertArchived(names);
        _home.ReadXlogDb().Should().BeEquivalentTo(lines);
    }

    private void Configure(string codec, Dictionary<string, string>? extra = null)
    {
        var options = new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on" };
        if (codec != "none")
            options["compression"] = codec;
        foreach (var (key, value) in extra ?? [])
            options[key] = value;
        _home.WriteConfig(options);
        _home.CreateServerDirectories();
    }

    /// <summary>Three segments and the backup label.</summary>
    private string[] Offer(string directory)
    {
        var names = wal.Segments.Take(3).Append(wal.BackupLabel).Order(StringComparer.Ordinal).ToArray();
        wal.CopyTo(directory, names);
        return names;
    }

    private async Task<(IReadOnlyList<RemovedSource> Removed, IReadOnlyList<StraceCall> Calls)> ArchiveTracedAsync(
        IReadOnlySet<string>? alreadyCatalogued = null)
    {
        var (run, calls) = await StracedTool.RunAsync(_home, ["archive-wal", "pg1"]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().NotContain("Error:");
        var layout = new ArchiveLayout(
            [_home.IncomingDirectory(), _home.StreamingDirectory()],
            _home.WalsDirectory(),
            _home.XlogDbPath(),
            alreadyCatalogued ?? new HashSet<string>());
        var checker = new FsyncOrderChecker(calls, layout);
        var removed = checker.Check();
        checker.Violations.Should().BeEmpty();
        return (removed, calls);
    }

    /// <summary>The temporary names that were renamed or linked to a WAL name in the archive.</summary>
    private List<string> StagedNames(IReadOnlyList<StraceCall> calls) =>
        calls.Where(c => (c.IsRename || c.IsLink) && c.Succeeded && c.Paths[1].StartsWith(_home.WalsDirectory() + "/", StringComparison.Ordinal))
            .Select(c => c.Paths[0]).ToList();

    private void AssertArchived(IReadOnlyList<string> names)
    {
        foreach (var name in names)
            File.Exists(FsyncOrderChecker.StoredPath(_home.WalsDirectory(), name)).Should().BeTrue(name);
        _home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().BeEquivalentTo(names, "each WAL is catalogued exactly once");
        BarmanHome.ListFiles(_home.ErrorsDirectory()).Should().BeEmpty();
    }
}

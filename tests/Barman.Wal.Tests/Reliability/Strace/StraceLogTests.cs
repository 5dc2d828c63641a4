namespace Barman.Wal.Tests.Reliability.Strace;

/// <summary>The strace parser and the fsync-order checker on hand-written traces.</summary>
public sealed class StraceLogTests
{
    private const string Wals = "/b/pg1/wals";
    private const string Hash = "/b/pg1/wals/0000000100000000";
    private const string Catalog = "/b/pg1/wals/pg1-xlog.db";
    private const string Seg1 = "000000010000000000000001";
    private const string Seg2 = "000000010000000000000002";

    /// <summary>
    /// One plain store by hard link (thread 100), one gzip store staged by another thread (200) whose
    /// fsync is interrupted, each catalogued and removed in order.
    /// </summary>
    private static readonly string[] GoodRun =
    [
        $"100 fsync(4<{Wals}>)                 = 0",
        $"100 openat(AT_FDCWD</b>, \"/b/pg1/incoming/{Seg1}\", O_RDONLY|O_CLOEXEC) = 5</b/pg1/incoming/{Seg1}>",
        $"100 link(\"/b/pg1/incoming/{Seg1}\", \"{Hash}/{Seg1}.tmp\") = 0",
        $"100 openat(AT_FDCWD</b>, \"{Hash}/{Seg1}.tmp\", O_RDONLY|O_CLOEXEC) = 6<{Hash}/{Seg1}.tmp>",
        $"100 fsync(6<{Hash}/{Seg1}.tmp>)        = 0",
        $"200 openat(AT_FDCWD</b>, \"{Hash}/{Seg2}.compressed\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 7<{Hash}/{Seg2}.compressed>",
        $"200 pwrite64(7<{Hash}/{Seg2}.compressed>, \"\\37\\213\\10\\0\\0\\0\\0\\0\\0\\3\\354\\275\"..., 131072, 0) = 131072",
        $"100 renameat2(AT_FDCWD</b>, \"{Hash}/{Seg1}.tmp\", AT_FDCWD</b>, \"{Hash}/{Seg1}\", RENAME_NOREPLACE) = 0",
        $"200 fsync(7<{Hash}/{Seg2}.compressed> <unfinished ...>",
        $"100 openat(AT_FDCWD</b>, \"{Hash}\", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 8<{Hash}>",
        $"100 fsync(8<{Hash}>)                = 0",
        $"200 <... fsync resumed>)              = 0",
        $"100 write(9<{Catalog}>, \"{Seg1}\\t16777216\\t1764547200.0\\tNone\\n\", 50) = 50",
        $"100 fsync(9<{Catalog}>)              = 0",
        $"100 unlink(\"/b/pg1/incoming/{Seg1}\")  = 0",
        $"100 renameat2(AT_FDCWD</b>, \"{Hash}/{Seg2}.compressed\", AT_FDCWD</b>, \"{Hash}/{Seg2}\", RENAME_NOREPLACE) = 0",
        $"100 fsync(8<{Hash}>)                = 0",
        $"100 write(9<{Catalog}>, \"{Seg2}\\t32768\\t1764547200.0\\tgzip\\n\", 43) = 43",
        $"100 fsync(9<{Catalog}>)              = 0",
        $"100 unlinkat(AT_FDCWD</b>, \"pg1/incoming/{Seg2}\", 0) = 0",
        "100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=300, si_uid=0, si_status=0} ---",
        "100 +++ exited with 0 +++",
    ];

    private static ArchiveLayout Layout(params string[] catalogued) =>
        new(["/b/pg1/incoming", "/b/pg1/streaming"], Wals, Catalog, catalogued.ToHashSet(StringComparer.Ordinal));

    [Fact]
    public void Parse_decodes_paths_fds_data_and_joins_interrupted_calls()
    {
        var calls = StraceLog.Parse(GoodRun);

        calls.Should().HaveCount(19, "signal and exit lines are skipped, the split fsync is one call");
        calls[2].Should().Match<StraceCall>(c => c.IsLink && c.Paths[0] == $"/b/pg1/incoming/{Seg1}" && c.Paths[1] == $"{Hash}/{Seg1}.tmp");
        calls[3].ResultPath.Should().Be($"{Hash}/{Seg1}.tmp");
        calls[6].Data.Should().StartWith("\x1f\x8b\x08\0");
        var split = calls.Single(c => c.Pid == 200 && c.IsSync);
        split.FdPath.Should().Be($"{Hash}/{Seg2}.compressed");
        (split.Start, split.End).Should().Be((8, 11));
        calls.Single(c => c.Name == "write" && c.Data!.StartsWith(Seg1, StringComparison.Ordinal)).Data.Should().Be($"{Seg1}\t16777216\t1764547200.0\tNone\n");
        calls.Last().Paths.Should().ContainSingle().Which.Should().Be($"/b/pg1/incoming/{Seg2}", "a relative path is resolved against its directory fd");
    }

    [Fact]
    public void Parse_reads_timestamps_failures_and_deleted_fds()
    {
        var calls = StraceLog.Parse(
        [
            $"42 1765000000.123456 openat(AT_FDCWD</b>, \"/b/x\", O_RDONLY) = -1 ENOENT (No such file or directory)",
            $"42 1765000000.123457 close(3</b/y (deleted)>) = 0",
            "42 1765000000.123458 exit_group(0)     = ?",
        ]);

        calls.Should().HaveCount(2);
        calls[0].Succeeded.Should().BeFalse();
        calls[0].Paths.Should().Equal("/b/x");
        calls[1].FdPath.Should().Be("/b/y");
    }

    [Fact]
    public void Check_accepts_a_run_that_keeps_the_order_and_names_each_removal()
    {
        var checker = new FsyncOrderChecker(StraceLog.Parse(GoodRun), Layout());

        var removed = checker.Check();

        checker.Violations.Should().BeEmpty();
        removed.Should().Equal(new RemovedSource(Seg1, RemovalKind.Stored), new RemovedSource(Seg2, RemovalKind.Stored));
    }

    [Theory]
    [InlineData(4, "the staged /b/pg1/wals/0000000100000000/000000010000000000000001.tmp was not fsynced")]
    [InlineData(10, "/b/pg1/wals/0000000100000000 was not fsynced between")]
    [InlineData(12, "no catalog line was written before")]
    [InlineData(13, "the catalog was not fsynced after")]
    public void Check_reports_each_missing_step_of_a_stored_file(int dropped, string problem)
    {
        var lines = GoodRun.Where((_, i) => i != dropped).ToList();
        var checker = new FsyncOrderChecker(StraceLog.Parse(lines), Layout());

        checker.Check();

        checker.Violations.Should().ContainSingle().Which.Should().StartWith(Seg1 + ": " + problem);
    }

    [Fact]
    public void Check_requires_the_archive_root_fsynced_for_the_hash_directory_entry()
    {
        var checker = new FsyncOrderChecker(StraceLog.Parse(GoodRun.Skip(1)), Layout());

        checker.Check();

        checker.Violations.Should().HaveCount(2).And.OnlyContain(v => v.Contains($"the archive root {Wals} (holding 0000000100000000) was not fsynced", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_reports_an_unlink_before_the_catalog_fsync_and_a_staged_fsync_before_the_last_write()
    {
        var lines = GoodRun.ToList();
        (lines[13], lines[14]) = (lines[14], lines[13]); // unlink, then the catalog fsync
        lines.Insert(12, $"200 pwrite64(7<{Hash}/{Seg2}.compressed>, \"late\"..., 10, 131072) = 10");
        var checker = new FsyncOrderChecker(StraceLog.Parse(lines), Layout());

        checker.Check();

        checker.Violations.Should().HaveCount(2);
        checker.Violations[0].Should().StartWith($"{Seg1}: the catalog was not fsynced after");
        checker.Violations[1].Should().StartWith($"{Seg2}: the staged {Hash}/{Seg2}.compressed was not fsynced (after its last write)");
    }

    [Fact]
    public void Check_requires_a_matching_duplicate_to_be_fsynced_before_removal()
    {
        string[] duplicate =
        [
            $"100 fsync(4<{Wals}>)                 = 0",
            $"100 openat(AT_FDCWD</b>, \"{Hash}/{Seg1}\", O_RDONLY|O_CLOEXEC) = 6<{Hash}/{Seg1}>",
            $"100 fsync(6<{Hash}/{Seg1}>)        = 0",
            $"100 fsync(8<{Hash}>)                = 0",
            $"100 fsync(9<{Catalog}>)              = 0",
            $"100 unlink(\"/b/pg1/streaming/{Seg1}\")  = 0",
        ];
        var good = new FsyncOrderChecker(StraceLog.Parse(duplicate), Layout(Seg1));
        good.Check().Should().Equal(new RemovedSource(Seg1, RemovalKind.MatchingDuplicate));
        good.Violations.Should().BeEmpty();

        var unsynced = new FsyncOrderChecker(StraceLog.Parse(duplicate.Where((_, i) => i is not (1 or 2))), Layout(Seg1));
        unsynced.Check();
        unsynced.Violations.Should().Equal($"{Seg1}: matching duplicate: the stored {Hash}/{Seg1} was not fsynced before #3 [100] unlink(/b/pg1/streaming/{Seg1}) = 0");

        var uncatalogued = new FsyncOrderChecker(StraceLog.Parse(duplicate), Layout());
        uncatalogued.Check();
        uncatalogued.Violations.Should().ContainSingle().Which.Should().StartWith($"{Seg1}: no catalog line was written");
    }

    [Fact]
    public void Check_on_cloud_storage_checks_the_catalog_only_and_refuses_a_line_written_twice()
    {
        var calls = StraceLog.Parse(GoodRun);
        var cloud = new FsyncOrderChecker(calls, new ArchiveLayout(["/b/pg1/incoming"], null, Catalog, new HashSet<string> { Seg2 }));

        cloud.Check().Select(r => r.Kind).Should().Equal(RemovalKind.CatalogOnly, RemovalKind.CatalogOnly);

        cloud.Violations.Should().ContainSingle().Which.Should().StartWith($"{Seg2}: its catalog line existed before the run but was written again");
    }
}

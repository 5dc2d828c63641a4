using Barman.Wal.Tests.Infrastructure;
using Barman.Wal.Tests.Reliability.Strace;

namespace Barman.Wal.Tests.Cloud;

/// <summary>
/// The catalog half of the durability order on cloud storage (the object is durable once the PUT
/// returned): the built barman-wal runs under strace against the real s3rver, and every source it
/// unlinked had its catalog line written and fsynced first, a matching duplicate's missing line too.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class CloudFsyncOrderTests(S3ServerHarness s3) : IDisposable
{
    private static readonly string[] Names = ["000000010000000000000001", "000000010000000000000002", "000000010000000000000003"];
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Stored_and_matching_duplicate_sources_are_removed_only_after_the_catalog_fsync()
    {
        _home.WriteConfig(new Dictionary<string, string>
        {
            ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres",
            ["archiver"] = "on",
            ["compression"] = "gzip",
            ["wals_directory"] = s3.NewUrl(nameof(CloudFsyncOrderTests)),
            ["xlogdb_directory"] = _home.WalsDirectory(),
        });
        _home.CreateServerDirectories();
        Offer();

        var first = await ArchiveTracedAsync(new HashSet<string>());

        first.Should().Equal(Names.Select(n => new RemovedSource(n, RemovalKind.CatalogOnly)));
        var lines = _home.ReadXlogDb();
        lines.Should().HaveCount(Names.Length);

        // the same WAL again, one of them without its catalog line: matching duplicates, one repaired
        Offer();
        File.WriteAllLines(_home.XlogDbPath(), lines.Where(l => !l.StartsWith(Names[1] + "\t", StringComparison.Ordinal)));

        var second = await ArchiveTracedAsync(Names.Where(n => n != Names[1]).ToHashSet());

        second.Should().Equal(first);
        _home.ReadXlogDb().Should().BeEquivalentTo(lines);
        BarmanHome.ListFiles(_home.IncomingDirectory()).Should().BeEmpty();
        BarmanHome.ListFiles(_home.ErrorsDirectory()).Should().BeEmpty();
    }

    private void Offer()
    {
        for (var i = 0; i < Names.Length; i++)
        {
            var bytes = new byte[1 << 16];
            new Random(i).NextBytes(bytes.AsSpan(0, bytes.Length / 2));
            var path = Path.Combine(_home.IncomingDirectory(), Names[i]);
            File.WriteAllBytes(path, bytes);
            File.SetLastWriteTimeUtc(path, new DateTime(2026, 12, 1, 0, 0, i, DateTimeKind.Utc));
        }
    }

    private async Task<IReadOnlyList<RemovedSource>> ArchiveTracedAsync(IReadOnlySet<string> alreadyCatalogued)
    {
        var (run, calls) = await StracedTool.RunAsync(_home, ["archive-wal", "pg1"], s3.Server.Environment);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().NotContain("Error:");
        var checker = new FsyncOrderChecker(calls, new ArchiveLayout([_home.IncomingDirectory()], null, _home.XlogDbPath(), alreadyCatalogued));
        var removed = checker.Check();
        checker.Violations.Should().BeEmpty();
        return removed;
    }
}

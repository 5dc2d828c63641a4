using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Verification;

/// <summary>A PostgreSQL 15 promoted with <c>pg_ctl promote</c>: timeline 1, its .partial, 00000002.history, timeline 2.</summary>
public sealed class PromotedClusterFixture : IAsyncLifetime
{
    public PostgresCluster Cluster { get; } = new();

    public async Task InitializeAsync()
    {
        await Cluster.StartAsync();
        await Cluster.GenerateSegmentsAsync(2);
        await Cluster.RestartAsStandbyAndPromoteAsync();
        await Cluster.GenerateSegmentsAsync(2);
        for (var i = 0; i < 300 && !(File.Exists(Path.Combine(Cluster.IncomingDirectory, "00000002.history"))
            && Directory.GetFiles(Cluster.IncomingDirectory, "*.partial").Length > 0); i++)
            await Task.Delay(100);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>verify-wal over an archive with a real timeline switch.</summary>
public sealed class VerifyWalTimelineTests(PromotedClusterFixture promoted) : IClassFixture<PromotedClusterFixture>, IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_promotion_verifies_clean_and_a_missing_history_file_is_reported_once()
    {
        _home.WriteConfig(new Dictionary<string, string>
        {
            ["description"] = "promoted", ["conninfo"] = "host=127.0.0.1 port=1", ["archiver"] = "on",
            ["wal_header_validation"] = "on", ["compression"] = "gzip",
        });
        _home.CreateServerDirectories();
        var names = Directory.GetFiles(promoted.Cluster.IncomingDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        names.Should().Contain("00000002.history").And.Contain(n => n.EndsWith(".partial", StringComparison.Ordinal));
        foreach (var name in names)
            File.Copy(Path.Combine(promoted.Cluster.IncomingDirectory, name), Path.Combine(_home.IncomingDirectory(), name));
        var archived = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);
        archived.ExitCode.Should().Be(0, archived.ToString());

        var clean = await ToolRunner.RunAsync(_home, ["verify-wal", "all"]);

        clean.ExitCode.Should().Be(0, clean.ToString());
        clean.StdoutLines.Should().ContainSingle().Which.Should().MatchRegex(
            $"^pg1: OK, {names.Length} files checked \\(\\d+ read back\\), timeline 1 0{{7}}1.* to .*, timeline 2 0{{7}}2.* to .*$");

        var timelineOne = await ToolRunner.RunAsync(_home, ["verify-wal", "--timeline", "1", "pg1"]);

        timelineOne.ExitCode.Should().Be(0, timelineOne.ToString());
        timelineOne.StdoutLines.Should().ContainSingle().Which.Should().MatchRegex("^pg1: OK, .*, timeline 1 [0-9A-F]{24} to [0-9A-F]{24} \\(\\d+ segments?\\)$");

        File.Delete(Path.Combine(_home.WalsDirectory(), "00000002.history"));
        File.WriteAllLines(_home.XlogDbPath(), _home.ReadXlogDb().Where(l => !l.StartsWith("00000002.history", StringComparison.Ordinal)));

        var result = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.StdoutLines.Should().HaveCount(2, result.ToString());
        result.StdoutLines[0].Should().Be(
            "pg1: missing-history: timeline 2 has archived WAL but its history file 00000002.history is missing or unreadable: recovery cannot follow the switch to it");
        result.StdoutLines[1].Should().StartWith("pg1: 1 problem, ");
    }
}

using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Receiving;

/// <summary>
/// A real PostgreSQL 15 whose <c>archive_command</c> is Barman's <c>barman-wal-archive</c>, reaching the
/// built barman-wal through the stand-in ssh; archive-wal then archives what put-wal received, with
/// WAL header validation on.
/// </summary>
public sealed class PutWalPostgresEndToEndTests : IAsyncLifetime
{
    private readonly BarmanHome _home = new();
    private readonly SshStandIn _ssh = new();
    private readonly OsUser? _barmanUser = Prerequisites.IsRoot ? OsUser.Find("postgres", "postgresql-15") : null;
    private PostgresCluster? _cluster;

    public async Task InitializeAsync()
    {
        _home.WriteConfig(
            new Dictionary<string, string>
            {
                ["description"] = "test", ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on",
            },
            globalOptions: new Dictionary<string, string> { ["barman_user"] = _barmanUser?.Name ?? Environment.UserName });
        if (_barmanUser is not null)
        {
            // archive_command runs as postgres: barman_home, config and log must be its own
            var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{_barmanUser.Uid}:{_barmanUser.Gid}", _home.Root]);
            chown.ExitCode.Should().Be(0, chown.ToString());
        }

        var command = $"PATH='{_ssh.BinDirectory}':/usr/bin:/bin barman-wal-archive -c '{_home.ConfigPath}' backup pg1 %p";
        _cluster = new PostgresCluster(new PostgresClusterOptions { ArchiveCommand = command });
        await _cluster.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        _ssh.Dispose();
        _home.Dispose();
    }

    private Task<ProcessResult> RunToolAsBarmanUserAsync(params string[] arguments) => _barmanUser is null
        ? ToolRunner.RunAsync(_home, arguments)
        : ProcessRunner.RunAsync("runuser", ["-u", _barmanUser.Name, "--", ToolRunner.DotnetHost, ToolRunner.ToolAssembly, "-c", _home.ConfigPath, .. arguments],
            timeout: TimeSpan.FromSeconds(60));

    [Fact]
    public async Task ArchiveCommand_barman_wal_archive_ships_real_wal_through_put_wal_into_the_archive()
    {
        var names = await _cluster!.GenerateSegmentsAsync(3);

        var incoming = Directory.GetFileSystemEntries(_home.IncomingDirectory()).Select(Path.GetFileName).ToList();
        incoming.Should().Contain(names).And.OnlyContain(n => !n!.StartsWith('.'), "no temporary file stays after exit 0");
        var archive = await RunToolAsBarmanUserAsync("archive-wal", "pg1");

        archive.ExitCode.Should().Be(0, archive.ToString());
        archive.Stderr.Should().BeEmpty();
        archive.StdoutLines[0].Should().Be("Processing xlog segments from file archival for pg1");
        archive.StdoutLines.Should().Contain(names.Select(n => "\t" + n));
        _home.ListArchive().Should().Contain(names.Select(n => $"{n[..16]}/{n}"));
        _home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().Contain(names);
    }
}

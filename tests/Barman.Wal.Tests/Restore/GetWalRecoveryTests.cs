using Barman.Wal.Tests.Cloud;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Restore;

/// <summary>
/// The proof by PostgreSQL: a <c>pg_basebackup -X none</c> backup recovers, as the postgres OS user, through
/// restore_command = the built <c>barman-wal get-wal</c> over an archive written by barman-wal archive-wal
/// (local per codec, gpg, S3, with prefetch), replays the whole archive, promotes, and holds the primary's data.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class GetWalRecoveryTests(RecoveryFixture primary, S3ServerHarness s3) : IClassFixture<RecoveryFixture>, IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private async Task ArchiveAsync(Dictionary<string, string> options, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var all = new Dictionary<string, string>
        {
            ["description"] = "restore", ["conninfo"] = "host=127.0.0.1 port=1", ["archiver"] = "on", ["wal_header_validation"] = "on",
        };
        foreach (var (key, value) in options)
            all[key] = value;
        _home.WriteConfig(all);
        _home.CreateServerDirectories();
        primary.ShipTo(_home.IncomingDirectory());
        var archived = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], environment, TimeSpan.FromSeconds(120));
        archived.ExitCode.Should().Be(0, archived.ToString());
        Directory.GetFiles(_home.IncomingDirectory()).Should().BeEmpty();
        RestoreHome.OpenForReading(_home);
        (await RestoreHome.PostgresCanWriteAsync(_home.Home)).Should().BeFalse("the restore must work from a barman_home the postgres user cannot write");
    }

    private async Task RecoverAndCompareAsync(string restoreCommand)
    {
        var result = await primary.RecoverAsync(restoreCommand);

        result.Failure.Should().BeNull(result.ToString());
        result.State.Should().Be(primary.Expected, result.ToString());
        result.RestoredSegments.Should().BeGreaterThanOrEqualTo(primary.Segments.Count, result.ToString());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    [InlineData("zstd")]
    [InlineData("lz4")]
    public async Task Recovery_replays_a_local_archive_of_each_codec(string codec)
    {
        await ArchiveAsync(codec == "none" ? [] : new() { ["compression"] = codec });
        _home.ReadXlogDb().Should().HaveCount(primary.Archived.Count)
            .And.OnlyContain(line => line.Split('\t')[3] == (codec == "none" ? "None" : codec));

        await RecoverAndCompareAsync(RestoreHome.RestoreCommand(_home));
    }

    [Fact]
    public async Task Recovery_replays_a_gpg_encrypted_archive()
    {
        using var keys = await PostgresGpgKeys.CreateAsync(primary.Primary.RootDirectory);
        _home.GiveToUser(keys.ArchiverHome); // archive-wal runs as barman_user and encrypts with this keyring
        await ArchiveAsync(new()
        {
            ["compression"] = "gzip", ["encryption"] = "gpg", ["encryption_key_id"] = keys.Fingerprint,
            ["encryption_passphrase_command"] = $"echo {PostgresGpgKeys.Passphrase}",
        }, keys.ArchiverEnvironment);

        await RecoverAndCompareAsync(RestoreHome.RestoreCommand(_home, environment: keys.RestoreEnvironment));
    }

    [Fact]
    public async Task Recovery_with_prefetch_delivers_from_the_spool()
    {
        await ArchiveAsync(new() { ["compression"] = "zstd" });
        var spool = Path.Combine(primary.Primary.RootDirectory, "spool-" + Guid.NewGuid().ToString("N")[..8]);

        var result = await primary.RecoverAsync(RestoreHome.RestoreCommand(_home, $"--prefetch 4 --spool-dir {RestoreHome.Quote(spool)}"));

        result.Failure.Should().BeNull(result.ToString());
        result.State.Should().Be(primary.Expected, result.ToString());
        result.ServerLog.Should().Contain("delivered from the prefetch spool", result.ToString());
        Directory.GetFiles(spool).Where(f => !Path.GetFileName(f).StartsWith('.')).Should().BeEmpty("every prefetched segment was delivered and removed");
    }

    [Fact]
    public async Task Recovery_replays_an_s3_archive_with_prefetch()
    {
        await ArchiveAsync(new() { ["compression"] = "gzip", ["wals_directory"] = s3.NewUrl("recovery"), ["xlogdb_directory"] = _home.WalsDirectory() }, s3.Server.Environment);

        var spool = Path.Combine(primary.Primary.RootDirectory, "spool-" + Guid.NewGuid().ToString("N")[..8]);
        await RecoverAndCompareAsync(RestoreHome.RestoreCommand(_home, $"--prefetch 3 --spool-dir {RestoreHome.Quote(spool)}", s3.Server.Environment));
    }
}

using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Cloud;

/// <summary>rebuild-xlogdb and purge-wal with an <c>s3://</c> wals_directory, against the real s3rver.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class CloudRetentionEndToEndTests(S3ServerHarness s3) : IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private static string Wal(int i) => $"0000000100000000{i:X8}";

    private async Task<string> ArchiveAsync(string testName, int count)
    {
        var url = s3.NewUrl(testName);
        _home.WriteConfig(new Dictionary<string, string>
        {
            ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres",
            ["archiver"] = "on",
            ["compression"] = "gzip",
            ["wals_directory"] = url,
            ["xlogdb_directory"] = _home.WalsDirectory(),
        });
        _home.CreateServerDirectories();
        for (var i = 1; i <= count; i++)
        {
            var bytes = new byte[4096];
            new Random(i).NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(_home.IncomingDirectory(), Wal(i)), bytes);
        }

        var run = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], s3.Server.Environment);
        run.ExitCode.Should().Be(0, run.ToString());
        return url;
    }

    private static string Key(string url, string name) => $"{url["s3://".Length..].Split('/', 2)[1]}/pg1/wals/{name[..16]}/{name}.gz";

    [Fact]
    public async Task Rebuild_xlogdb_re_derives_the_catalog_from_the_bucket()
    {
        await ArchiveAsync(nameof(Rebuild_xlogdb_re_derives_the_catalog_from_the_bucket), 3);
        var archived = _home.ReadXlogDb();
        File.WriteAllText(_home.XlogDbPath(), "000000010000000000000009\t1\t1.0\tNone\tNone\n");

        var run = await ToolRunner.RunAsync(_home, ["rebuild-xlogdb", "pg1"], s3.Server.Environment);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Should().Equal(
            "Rebuilding xlogdb for server pg1",
            "Done rebuilding xlogdb for server pg1 (history: 0, backup_labels: 0, wal_file: 3)");
        _home.ReadXlogDb().Should().Equal(archived);
    }

    [Fact]
    public async Task Purge_wal_deletes_the_chosen_objects_and_their_lines()
    {
        var url = await ArchiveAsync(nameof(Purge_wal_deletes_the_chosen_objects_and_their_lines), 4);
        var archived = _home.ReadXlogDb();

        var run = await ToolRunner.RunAsync(_home, ["purge-wal", "--before", Wal(3), "pg1"], s3.Server.Environment);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Skip(1).SkipLast(1).Should().Equal("\t" + Wal(1), "\t" + Wal(2));
        File.Exists(s3.ObjectFile(Key(url, Wal(1)))).Should().BeFalse();
        File.Exists(s3.ObjectFile(Key(url, Wal(2)))).Should().BeFalse();
        File.Exists(s3.ObjectFile(Key(url, Wal(3)))).Should().BeTrue();
        _home.ReadXlogDb().Should().Equal(archived.Skip(2));
    }
}

using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Retention;

/// <summary><c>rebuild-xlogdb</c> run as a process on local archives (spec: rebuild-xlogdb §2–§4).</summary>
public sealed class RebuildXlogDbEndToEndTests : IDisposable
{
    private const string Hash = "0000000100000000";
    private readonly BarmanHome _home = new();

    public RebuildXlogDbEndToEndTests() => _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on" });

    public void Dispose() => _home.Dispose();

    private string Wals => _home.WalsDirectory();

    private string Put(string relative, byte[] content, double time)
    {
        var path = Path.Combine(Wals, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(time));
        return path;
    }

    private static byte[] Bytes(string hexPrefix, int size)
    {
        var bytes = new byte[size];
        Convert.FromHexString(hexPrefix).CopyTo(bytes, 0);
        return bytes;
    }

    [Fact]
    public async Task Rebuilds_the_spec_archive_with_every_codec_encryption_and_junk_like_Barman()
    {
        Put($"{Hash}/000000010000000000000001", Bytes("00", 16), 1796678522.5);
        Put($"{Hash}/000000010000000000000002", Bytes("425a68", 20), 1796678522.75);      // bzip2
        Put($"{Hash}/000000010000000000000003", Bytes("1f8b08", 21), 1796678523.0);       // gzip (and pigz)
        Put($"{Hash}/000000010000000000000003.00000028.backup", Bytes("00", 30), 1796679453.25);
        Put($"{Hash}/000000010000000000000004", Bytes("04224d18", 22), 1796678523.5);     // lz4
        Put($"{Hash}/000000010000000000000005", Bytes("fd377a585a00", 23), 1796678524.0); // xz
        Put($"{Hash}/000000010000000000000006", Bytes("28b52ffd", 24), 1796678524.5);     // zstd
        Put($"{Hash}/000000010000000000000007", Bytes("ff060000734e61507059", 25), 1796678525.0); // snappy
        Put($"{Hash}/000000010000000000000008", Bytes("85018c03", 415), 1796678525.5);    // gpg (RSA session key)
        Put($"{Hash}/000000010000000000000009.tmp", Bytes("00", 3), 1796678526.0);
        Put($"{Hash}/000000010000000000000009.partial", Bytes("00", 3), 1796678526.0);
        Put($"{Hash}/00000001000000000000000a", Bytes("00", 16), 1796678526.5);
        Put($"{Hash}/junk", Bytes("00", 3), 1796678526.0);
        Directory.CreateDirectory(Path.Combine(Wals, Hash, "sub"));
        Put("00000002.history", Bytes("00", 41), 1796679453.25);
        Put("junk.txt", Bytes("00", 3), 1796679453.25);
        Put("00000003.history.tmp", Bytes("00", 3), 1796679453.25);
        Put("pg1-xlog.db.bak", Bytes("00", 3), 1796679453.25);
        Directory.CreateDirectory(Path.Combine(Wals, "0000000200000000"));
        Put("zz/000000020000000000000001", Bytes("00", 2), 1796679453.5);
        File.WriteAllText(_home.XlogDbPath(), "stale\tline\n");

        var run = await ToolRunner.RunAsync(_home, ["rebuild-xlogdb", "pg1", "pg1"]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Should().Equal(
            "Rebuilding xlogdb for server pg1",
            "Done rebuilding xlogdb for server pg1 (history: 1, backup_labels: 1, wal_file: 9)");
        _home.ReadXlogDb().Should().Equal(
            "000000010000000000000001\t16\t1796678522.5\tNone\tNone",
            "000000010000000000000002\t20\t1796678522.75\tbzip2\tNone",
            "000000010000000000000003\t21\t1796678523.0\tgzip\tNone",
            "000000010000000000000003.00000028.backup\t30\t1796679453.25\tNone\tNone",
            "000000010000000000000004\t22\t1796678523.5\tlz4\tNone",
            "000000010000000000000005\t23\t1796678524.0\txz\tNone",
            "000000010000000000000006\t24\t1796678524.5\tzstd\tNone",
            "000000010000000000000007\t25\t1796678525.0\tsnappy\tNone",
            "000000010000000000000008\t415\t1796678525.5\tNone\tgpg",
            "00000001000000000000000a\t16\t1796678526.5\tNone\tNone",
            "00000002.history\t41\t1796679453.25\tNone\tNone");
        var log = await File.ReadAllTextAsync(_home.LogFile);
        log.Should().Contain($"temporary file found rebuilding the wal database: {Wals}/{Hash}/000000010000000000000009.tmp")
            .And.Contain($"unexpected file rebuilding the wal database: {Wals}/{Hash}/000000010000000000000009.partial")
            .And.Contain($"unexpected file rebuilding the wal database: {Wals}/{Hash}/junk")
            .And.Contain($"unexpected directory rebuilding the wal database: {Wals}/{Hash}/sub")
            .And.Contain($"unexpected file rebuilding the wal database: {Wals}/00000003.history.tmp")
            .And.Contain($"unexpected file rebuilding the wal database: {Wals}/junk.txt")
            .And.Contain($"{Wals}/zz/000000020000000000000001")
            .And.NotContain("pg1-xlog.db.bak");
        Directory.GetFiles(Wals, ".*.tmp").Should().BeEmpty("the temporary catalog was renamed into place");
    }

    [Fact]
    public async Task A_legacy_catalog_is_rebuilt_in_place_with_four_columns_and_json_collects_the_lines()
    {
        Put($"{Hash}/000000010000000000000001", Bytes("1f8b08", 21), 1795488859.5);
        Put("00000002.history", Bytes("00", 42), 1795490001.0);
        File.WriteAllText(Path.Combine(Wals, "xlog.db"), string.Empty);

        var run = await ToolRunner.RunAsync(_home, ["-f", "json", "rebuild-xlogdb", "all"]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Be("{\"_INFO\": [\"Rebuilding xlogdb for server pg1\", \"Done rebuilding xlogdb for server pg1 (history: 1, backup_labels: 0, wal_file: 1)\"]}");
        File.ReadAllLines(Path.Combine(Wals, "xlog.db")).Should().Equal(
            "000000010000000000000001\t21\t1795488859.5\tgzip",
            "00000002.history\t42\t1795490001.0\tNone");
        File.Exists(_home.XlogDbPath()).Should().BeFalse();
    }

    [Fact]
    public async Task Unknown_and_inactive_servers_get_Barmans_lines()
    {
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres", ["archiver"] = "on", ["active"] = "false" }, server: "pg2");

        var run = await ToolRunner.RunAsync(_home, ["rebuild-xlogdb", "pg2", "nosuch"]);

        run.ExitCode.Should().Be(1);
        run.StderrLines.Should().Contain("ERROR: Unknown server 'nosuch'");
        run.StdoutLines.Should().Contain("Skipping inactive server 'pg2'");
    }
}

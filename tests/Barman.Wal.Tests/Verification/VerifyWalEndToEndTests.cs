using System.IO.Compression;
using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Cloud;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Verification;

/// <summary>
/// verify-wal run as a process over real PostgreSQL 15 WAL archived by barman-wal with real compressors,
/// clean and with injected faults.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class VerifyWalEndToEndTests(RealWalFixture wal, S3ServerHarness s3) : IClassFixture<RealWalFixture>, IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private async Task<string[]> ArchiveAsync(string compression, int? count = null, string? cloudUrl = null)
    {
        var options = new Dictionary<string, string>
        {
            ["description"] = "verify", ["conninfo"] = "host=127.0.0.1 port=1", ["archiver"] = "on", ["wal_header_validation"] = "on",
        };
        if (cloudUrl is not null)
        {
            options["wals_directory"] = cloudUrl;
            options["xlogdb_directory"] = _home.WalsDirectory();
        }

        if (compression != "none")
            options["compression"] = compression;
        _home.WriteConfig(options);
        _home.CreateServerDirectories();
        wal.Segments.Count.Should().BeGreaterThanOrEqualTo(6);
        var segments = count ?? wal.Segments.Count;
        var names = wal.Segments.Take(segments).Append(wal.BackupLabel).Order(StringComparer.Ordinal).ToArray();
        wal.CopyTo(_home.IncomingDirectory(), names);
        var archived = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], cloudUrl is null ? null : s3.Server.Environment);
        archived.ExitCode.Should().Be(0, archived.ToString());
        return [.. wal.Segments.Take(segments)];
    }

    private string StoredPath(string name) => Path.Combine(_home.WalsDirectory(), name[..16], name);

    private void RewriteCatalog(Func<string, string?> map) =>
        File.WriteAllLines(_home.XlogDbPath(), _home.ReadXlogDb().Select(map).OfType<string>());

    private void SetCatalogSize(string name) => RewriteCatalog(line =>
    {
        var parts = line.Split('\t');
        if (parts[0] == name)
            parts[1] = new FileInfo(StoredPath(name)).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join('\t', parts);
    });

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    [InlineData("zstd")]
    [InlineData("lz4")]
    [InlineData("xz")]
    public async Task A_clean_archive_is_reported_clean(string compression)
    {
        // up to the backup's first segment: every codec compresses as little as the check needs
        var upToBackup = wal.Segments.Count(n => string.CompareOrdinal(n, wal.BackupLabel[..24]) <= 0);
        var segments = await ArchiveAsync(compression, upToBackup);

        var result = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(
            $"pg1: OK, {segments.Length + 1} files checked ({segments.Length} read back), timeline 1 {segments[0]} to {segments[^1]} ({segments.Length} segments)");
        result.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_injected_fault_is_reported_once_with_exit_code_3()
    {
        var s = await ArchiveAsync("gzip");
        // a missing segment (file and line gone): a gap only
        File.Delete(StoredPath(s[2]));
        RewriteCatalog(line => line.StartsWith(s[2], StringComparison.Ordinal) ? null : line);
        // a truncated compressed file: unreadable, and its size no longer the catalogued one
        var truncated = StoredPath(s[1]);
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..(int)(new FileInfo(truncated).Length / 2)]);
        // a bit flipped inside a compressed file (same size)
        var flipped = File.ReadAllBytes(StoredPath(s[3]));
        flipped[flipped.Length / 2] ^= 0x10;
        File.WriteAllBytes(StoredPath(s[3]), flipped);
        // a segment of another PostgreSQL system under a valid name, catalogued consistently
        var foreign = wal.Read(s[4]);
        BitConverter.TryWriteBytes(foreign.AsSpan(24, 8), wal.SystemIdentifier + 1).Should().BeTrue();
        using (var file = File.Create(StoredPath(s[4])))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            gzip.Write(foreign);
        SetCatalogSize(s[4]);
        // a catalog line without its file, and a stored file without its line
        File.AppendAllText(_home.XlogDbPath(), "000000010000000100000001\t100\t1700000000.0\tgzip\tNone\n");
        RewriteCatalog(line => line.StartsWith(wal.BackupLabel, StringComparison.Ordinal) ? null : line);

        var result = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"]);

        result.ExitCode.Should().Be(3, result.ToString());
        var lines = result.StdoutLines;
        lines.Should().HaveCount(8, result.ToString());
        lines[^1].Should().StartWith($"pg1: 7 problems, {s.Length} files checked ({s.Length - 1} read back), timeline 1");
        Kinds(lines).Should().BeEquivalentTo(new (string, string)[]
        {
            ("corrupt", s[1]), ("size-mismatch", s[1]), ("gap", s[2]), ("corrupt", s[3]), ("foreign", s[4]),
            ("file-without-catalog", wal.BackupLabel), ("catalog-without-file", "000000010000000100000001"),
        });
        lines.Should().Contain($"pg1: gap: missing {s[2]} (1 segment) on timeline 1");
        lines.Should().Contain(l => l.StartsWith($"pg1: foreign: {s[4]}: it belongs to another PostgreSQL system (system id {wal.SystemIdentifier + 1}, the server's is {wal.SystemIdentifier}", StringComparison.Ordinal));

        var fast = await ToolRunner.RunAsync(_home, ["verify-wal", "--fast", "pg1"]);

        fast.ExitCode.Should().Be(3, fast.ToString());
        Kinds(fast.StdoutLines).Should().BeEquivalentTo(new (string, string)[]
        {
            ("size-mismatch", s[1]), ("gap", s[2]), ("file-without-catalog", wal.BackupLabel), ("catalog-without-file", "000000010000000100000001"),
        });

        var since = await ToolRunner.RunAsync(_home, ["-f", "json", "verify-wal", "--since", s[4], "pg1"]);

        since.ExitCode.Should().Be(3, since.ToString());
        since.Stdout.Should().Contain("\"status\": \"problems\"").And.Contain($"\"kind\": \"foreign\", \"message\": ").And.NotContain("\"gap\"");
    }

    [Fact]
    public async Task An_unreadable_catalog_is_could_not_verify_with_exit_code_1()
    {
        await ArchiveAsync("gzip", count: 1);
        File.AppendAllText(_home.XlogDbPath(), "garbage\n");

        var result = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().ContainSingle().Which.Should().StartWith($"ERROR: pg1: cannot verify the archive: cannot read {_home.XlogDbPath()}");
    }

    [Fact]
    public async Task Bad_arguments_name_the_option()
    {
        var result = await ToolRunner.RunAsync(_home, ["verify-wal", "--since", "nonsense", "pg1"]);

        result.ExitCode.Should().Be(2);
        result.StderrLines.Should().Contain("barman-wal: error: argument --since: 'nonsense' is not a WAL segment name");
    }

    [Fact]
    public async Task An_s3_archive_is_read_back_and_a_flipped_bit_is_reported()
    {
        var url = s3.NewUrl(nameof(An_s3_archive_is_read_back_and_a_flipped_bit_is_reported));
        var s = await ArchiveAsync("gzip", cloudUrl: url);
        var clean = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"], s3.Server.Environment);
        clean.ExitCode.Should().Be(0, clean.ToString());
        clean.StdoutLines.Should().ContainSingle().Which.Should().StartWith($"pg1: OK, {s.Length + 1} files checked ({s.Length} read back)");

        var key = $"{url["s3://".Length..].Split('/', 2)[1]}/pg1/wals/{s[1][..16]}/{s[1]}.gz";
        var bytes = File.ReadAllBytes(s3.ObjectFile(key));
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(s3.ObjectFile(key), bytes);

        var result = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"], s3.Server.Environment);

        result.ExitCode.Should().Be(3, result.ToString());
        Kinds(result.StdoutLines).Should().Equal(("corrupt", s[1]));
    }

    private static IEnumerable<(string Kind, string Name)> Kinds(IReadOnlyList<string> lines) =>
        lines.Take(lines.Count - 1).Select(l => l.Split(": ", 3)).Select(p => (p[1], ExtractName(p[2])));

    private static string ExtractName(string rest)
    {
        var token = rest.Split(' ', ':').First(t => t.Length >= 24);
        return token;
    }
}

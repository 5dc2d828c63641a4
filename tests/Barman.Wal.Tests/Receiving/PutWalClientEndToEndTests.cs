using System.Security.Cryptography;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Receiving;

/// <summary>
/// Barman's real <c>barman-wal-archive</c> (Debian barman-cli) against the built barman-wal through a
/// stand-in ssh: the spec's captured outputs and exit codes (put-wal §4–5), then archive-wal on what
/// put-wal received. Segments are 1 MiB of random bytes (enough to overflow a pipe; header validation
/// is off in <see cref="BarmanHome"/>) to keep the suite quick; the PostgreSQL test ships real 16 MiB WAL.
/// </summary>
public sealed class PutWalClientEndToEndTests : IDisposable
{
    private const string Wal = "000000010000000000000001";
    private const string Failed = "ERROR: Remote 'barman put-wal' command has failed!";
    private static readonly DateTime WalTime = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_567);
    private readonly BarmanHome _home = new();
    private readonly SshStandIn _ssh = new();
    private readonly string _source = Directory.CreateTempSubdirectory("barman-wal-pgwal-").FullName;

    public PutWalClientEndToEndTests()
    {
        _home.WriteConfig(new Dictionary<string, string> { ["description"] = "test", ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on" });
        WalPath = WriteSegment(_source, seed: 1);
    }

    private string WalPath { get; }

    public void Dispose()
    {
        _home.Dispose();
        _ssh.Dispose();
        Directory.Delete(_source, recursive: true);
    }

    private static string WriteSegment(string directory, int seed, string name = Wal, int size = 1 << 20)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, WalTime);
        return path;
    }

    private Task<ProcessResult> SendAsync(string path, string server = "pg1", IReadOnlyDictionary<string, string?>? environment = null) =>
        _ssh.ArchiveAsync(_home.ConfigPath, ["backup", server, path], environment);

    private static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    private IReadOnlyList<string> IncomingEntries() =>
        Directory.Exists(_home.IncomingDirectory())
            ? Directory.GetFileSystemEntries(_home.IncomingDirectory()).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    [Fact]
    public async Task PutWal_stores_a_new_wal_that_archive_wal_then_archives_byte_for_byte()
    {
        var result = await SendAsync(WalPath);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().BeEmpty();
        IncomingEntries().Should().Equal(Wal);
        var received = Path.Combine(_home.IncomingDirectory(), Wal);
        File.ReadAllBytes(received).Should().Equal(File.ReadAllBytes(WalPath));
        File.GetLastWriteTimeUtc(received).Should().Be(WalTime);

        var archive = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);

        archive.ExitCode.Should().Be(0, archive.ToString());
        archive.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\t" + Wal);
        File.ReadAllBytes(Path.Combine(_home.WalsDirectory(), Wal[..16], Wal)).Should().Equal(File.ReadAllBytes(WalPath));
        IncomingEntries().Should().BeEmpty();
    }

    [Fact]
    public async Task PutWal_same_wal_again_is_accepted_and_writes_nothing()
    {
        (await SendAsync(WalPath)).ExitCode.Should().Be(0);
        var received = Path.Combine(_home.IncomingDirectory(), Wal);
        File.SetLastWriteTimeUtc(received, WalTime.AddDays(1));

        var result = await SendAsync(WalPath);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().BeEmpty();
        result.Stderr.Should().BeEmpty();
        IncomingEntries().Should().Equal(Wal);
        File.GetLastWriteTimeUtc(received).Should().Be(WalTime.AddDays(1), "the existing file is left untouched");
        Directory.Exists(_home.ErrorsDirectory()).Should().BeFalse();
    }

    [Fact]
    public async Task PutWal_different_wal_under_the_same_name_is_kept_aside_in_errors_with_barmans_line()
    {
        (await SendAsync(WalPath)).ExitCode.Should().Be(0);
        var other = WriteSegment(Path.Combine(_source, "other"), seed: 2);

        var result = await SendAsync(other);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(
            $"\tError: Duplicate Files Detected with Mismatched Checksums. File {Wal} already exists on server pg1 with checksum {Md5(WalPath)}, " +
            $"but the checksum of the incoming file is{Md5(other)}. The file has been moved to the errors directory.");
        result.Stderr.Should().BeEmpty();
        File.ReadAllBytes(Path.Combine(_home.IncomingDirectory(), Wal)).Should().Equal(File.ReadAllBytes(WalPath));
        var kept = Directory.GetFiles(_home.ErrorsDirectory()).Should().ContainSingle().Subject;
        Path.GetFileName(kept).Should().MatchRegex($@"^{Wal}\.\d{{8}}T\d{{6}}Z\.duplicate$");
        File.ReadAllBytes(kept).Should().Equal(File.ReadAllBytes(other));
        IncomingEntries().Should().Equal(Wal);
    }

    [Fact]
    public async Task PutWal_test_reports_ready_or_the_unknown_server_through_the_client()
    {
        var ready = await _ssh.ArchiveAsync(_home.ConfigPath, ["-t", "backup", "pg1", WalPath]);
        var unknown = await _ssh.ArchiveAsync(_home.ConfigPath, ["-t", "backup", "nosuch", WalPath]);

        ready.ExitCode.Should().Be(0, ready.ToString());
        ready.Stdout.Should().Be("Ready to accept WAL files for the server pg1\n\n");
        unknown.ExitCode.Should().Be(1, unknown.ToString());
        unknown.Stdout.Should().Be("ERROR: Unknown server 'nosuch'\n\n");
        IncomingEntries().Should().BeEmpty();
    }

    [Fact]
    public async Task PutWal_unknown_server_fails_the_client_with_barmans_codes()
    {
        var history = Path.Combine(_source, "00000002.history");
        File.WriteAllText(history, "1\t0/3000000\tno recovery target specified\n");

        var small = await SendAsync(history, server: "nosuch");
        var segment = await SendAsync(WalPath, server: "nosuch");

        small.ExitCode.Should().Be(1, small.ToString());
        small.StderrLines.Should().Equal("ERROR: Unknown server 'nosuch'", Failed);
        segment.ExitCode.Should().Be(2, "the client hits a broken pipe writing more than a pipe holds to a remote that did not read it");
        segment.StderrLines.Should().StartWith(["ERROR: Unknown server 'nosuch'", "ERROR: Error executing ssh: [Errno 32] Broken pipe"]);
    }

    [Theory]
    [InlineData("gzip", "EXCEPTION: invalid header")]
    [InlineData("truncate:500000", "EXCEPTION: unexpected end of data")]
    public async Task PutWal_damaged_stream_exits_1_and_leaves_nothing_in_incoming(string mangle, string line)
    {
        var result = await SendAsync(WalPath, environment: new Dictionary<string, string?> { ["SSH_STANDIN_MANGLE"] = mangle });

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().BeEmpty();
        result.StderrLines.Should().Equal(line, "See log file for more details.", Failed);
        IncomingEntries().Should().BeEmpty("not even a hidden temporary file may stay");
    }

    [Fact]
    public async Task PutWal_byte_flipped_in_transit_fails_the_checksum_and_stores_nothing()
    {
        var bytes = File.ReadAllBytes(WalPath);
        bytes[5000 - 1536] ^= 1; // the WAL's data starts after a PAX header, its data block and the ustar header
        var damaged = Convert.ToHexStringLower(MD5.HashData(bytes));

        var result = await SendAsync(WalPath, environment: new Dictionary<string, string?> { ["SSH_STANDIN_MANGLE"] = "flip:5000" });

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().Equal(
            $"ERROR: Bad file checksum '{damaged}' (should be {Md5(WalPath)}) for file '{Wal}' in put-wal for server 'pg1'", Failed);
        IncomingEntries().Should().BeEmpty();
    }

    [Fact]
    public async Task PutWal_killed_mid_stream_leaves_nothing_archive_wal_lists_and_the_retry_stores_the_wal()
    {
        var crash = await SendAsync(WalPath, environment: new Dictionary<string, string?> { ["BARMAN_WAL_FAULT"] = "put-wal-mid-stream:4" });

        crash.ExitCode.Should().NotBe(0, "PostgreSQL must keep the segment: " + crash);
        IncomingEntries().Should().OnlyContain(n => n.StartsWith('.'), "only a hidden temporary file may survive a crash");
        var archive = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);
        archive.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\tno file found");
        _home.ListArchive().Should().BeEmpty();

        var retry = await SendAsync(WalPath);

        retry.ExitCode.Should().Be(0, retry.ToString());
        IncomingEntries().Should().Equal([Wal], "the retry also removes the dead process's temporary file");
        File.ReadAllBytes(Path.Combine(_home.IncomingDirectory(), Wal)).Should().Equal(File.ReadAllBytes(WalPath));
    }

    [Fact]
    public async Task PutWal_killed_after_the_rename_leaves_the_complete_wal_and_the_retry_is_a_matching_duplicate()
    {
        var crash = await SendAsync(WalPath, environment: new Dictionary<string, string?> { ["BARMAN_WAL_FAULT"] = "put-wal-after-rename" });

        crash.ExitCode.Should().NotBe(0, crash.ToString());
        IncomingEntries().Should().Equal(Wal);
        var retry = await SendAsync(WalPath);
        retry.ExitCode.Should().Be(0, retry.ToString());
        retry.Stdout.Should().BeEmpty();

        var archive = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);

        archive.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\t" + Wal);
        File.ReadAllBytes(Path.Combine(_home.WalsDirectory(), Wal[..16], Wal)).Should().Equal(File.ReadAllBytes(WalPath));
    }
}

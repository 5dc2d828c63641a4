using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Barman.Wal.Configuration;
using Barman.Wal.Output;
using Barman.Wal.Receiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Receiving;

/// <summary>put-wal's core on hand-built tar streams (the cases the real client never sends), in real temp directories.</summary>
public sealed class PutWalServiceTests : IDisposable
{
    private const string Wal = "000000010000000000000002";
    private static readonly byte[] WalBytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("wal bytes ", 5000)));
    private readonly BarmanHome _home = new();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public PutWalServiceTests()
    {
        var server = new Dictionary<string, string> { ["description"] = "test", ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on" };
        _home.WriteConfig(server);
        _home.WriteConfig(new Dictionary<string, string>(server) { ["active"] = "false" }, server: "pg2");
    }

    public void Dispose() => _home.Dispose();

    private Task<int> PutAsync(byte[] stream, string server = "pg1", bool test = false, string? ssh = null, bool quiet = false, bool debug = false)
    {
        var output = new BarmanOutput(_stdout, _stderr, OutputFormat.Console, quiet, debug);
        var service = new PutWalService(BarmanConfiguration.Load(_home.ConfigPath), output, Serilog.Core.Logger.None, TimeProvider.System);
        return service.RunAsync(new PutWalRequest(server, test, new MemoryStream(stream), ssh));
    }

    private static byte[] Tar(params (string Name, byte[] Data)[] members) => Tar(members.Select(m => (TarEntry)new PaxTarEntry(TarEntryType.RegularFile, m.Name) { DataStream = new MemoryStream(m.Data) }));

    private static byte[] Tar(IEnumerable<TarEntry> entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, leaveOpen: true))
        {
            foreach (var entry in entries)
                writer.WriteEntry(entry);
        }

        return stream.ToArray();
    }

    private static byte[] Line(string text) => Encoding.UTF8.GetBytes(text);

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private IReadOnlyList<string> IncomingEntries() =>
        Directory.Exists(_home.IncomingDirectory())
            ? Directory.GetFileSystemEntries(_home.IncomingDirectory()).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    private async Task RefusedAsync(byte[] stream, string message, string? ssh = null)
    {
        var act = () => PutAsync(stream, ssh: ssh);
        (await act.Should().ThrowAsync<PutWalException>()).Which.Message.Should().Be(message);
        IncomingEntries().Should().BeEmpty();
    }

    [Fact]
    public async Task PutWal_with_sha256sum_text_format_stores_the_wal()
    {
        var code = await PutAsync(Tar((Wal, WalBytes), ("SHA256SUMS", Line($"{Sha256(WalBytes)}  ./{Wal}\n"))));

        code.Should().Be(0);
        File.ReadAllBytes(Path.Combine(_home.IncomingDirectory(), Wal)).Should().Equal(WalBytes);
        IncomingEntries().Should().Equal(Wal);
    }

    [Fact]
    public Task PutWal_with_a_name_that_is_not_wal_stores_nothing() =>
        RefusedAsync(Tar(("foo.txt", WalBytes), ("SHA256SUMS", Line($"{Sha256(WalBytes)} *foo.txt\n"))),
            "Unsupported filename 'foo.txt' in put-wal for server 'pg1'");

    [Fact]
    public Task PutWal_with_two_files_stores_neither() =>
        RefusedAsync(Tar((Wal, WalBytes), ("000000010000000000000003", WalBytes),
                ("SHA256SUMS", Line($"{Sha256(WalBytes)} *{Wal}\n{Sha256(WalBytes)} *000000010000000000000003\n"))),
            $"Unsupported second file '000000010000000000000003' after '{Wal}' in put-wal for server 'pg1' (one WAL file per stream)");

    [Fact]
    public Task PutWal_without_checksum_file_reports_the_missing_checksum() =>
        RefusedAsync(Tar((Wal, WalBytes)), $"Missing checksum for file '{Wal}' in put-wal for server 'pg1'");

    [Fact]
    public Task PutWal_checksum_without_file_is_refused() =>
        RefusedAsync(Tar((Wal, WalBytes), ("MD5SUMS", Line($"{Convert.ToHexStringLower(MD5.HashData(WalBytes))} *{Wal}\nabc *00000001000000000000000F\n"))),
            "Checksum without corresponding file '00000001000000000000000F' in put-wal for server 'pg1'");

    [Fact]
    public Task PutWal_upper_case_checksum_is_a_bad_checksum_with_the_ssh_host() =>
        RefusedAsync(Tar((Wal, WalBytes), ("SHA256SUMS", Line($"{Sha256(WalBytes).ToUpperInvariant()} *{Wal}\n"))),
            $"Bad file checksum '{Sha256(WalBytes)}' (should be {Sha256(WalBytes).ToUpperInvariant()}) for file '{Wal}' in put-wal for server 'pg1' (SSH host: 192.0.2.7)",
            ssh: "192.0.2.7 50000 192.0.2.1 22");

    [Fact]
    public async Task PutWal_md5sums_member_anywhere_makes_md5_the_algorithm_and_bad_lines_warn()
    {
        var md5 = Convert.ToHexStringLower(MD5.HashData(WalBytes));

        var code = await PutAsync(Tar(("MD5SUMS", Line($"not-a-checksum-line\n{md5} *{Wal}\n")), (Wal, WalBytes)));

        code.Should().Be(0);
        _stderr.ToString().Should().Be("WARNING: Bad checksum line 'not-a-checksum-line' found in put-wal for server 'pg1'\n");
        IncomingEntries().Should().Equal(Wal);
    }

    [Fact]
    public async Task PutWal_checksum_line_with_a_single_space_is_a_bad_line_and_the_file_lacks_its_checksum()
    {
        var stream = Tar((Wal, WalBytes), ("SHA256SUMS", Line($"{Sha256(WalBytes)} {Wal}\n")));

        await RefusedAsync(stream, $"Missing checksum for file '{Wal}' in put-wal for server 'pg1'");

        _stderr.ToString().Should().Be($"WARNING: Bad checksum line '{Sha256(WalBytes)} {Wal}' found in put-wal for server 'pg1'\n");
    }

    [Fact]
    public async Task PutWal_identical_duplicate_prints_barmans_debug_line_with_debug_only()
    {
        var stream = Tar((Wal, WalBytes), ("SHA256SUMS", Line($"{Sha256(WalBytes)} *{Wal}\n")));
        (await PutAsync(stream)).Should().Be(0);

        (await PutAsync(stream, debug: true)).Should().Be(0);

        _stdout.ToString().Should().BeEmpty();
        _stderr.ToString().Should().Be(
            $"DEBUG: Duplicate Files with Identical Checksums. File {Wal} already exists on server pg1, and the checksums are identical. Skipping the file.\n");
        IncomingEntries().Should().Equal(Wal);
    }

    [Fact]
    public async Task PutWal_directory_member_is_an_unsupported_file_type()
    {
        var stream = Tar([new PaxTarEntry(TarEntryType.Directory, "pg_wal/")]);

        await RefusedAsync(stream, "Unsupported file type 'b'5'' for file 'pg_wal' in put-wal for server 'pg1'");
    }

    [Fact]
    public async Task PutWal_long_member_names_are_read_in_full_from_pax_and_gnu_headers()
    {
        var longName = new string('a', 150);
        await RefusedAsync(Tar((longName, WalBytes)), $"Unsupported filename '{longName}' in put-wal for server 'pg1'");
        var gnu = Tar([new GnuTarEntry(TarEntryType.RegularFile, longName) { DataStream = new MemoryStream(WalBytes) }]);
        await RefusedAsync(gnu, $"Unsupported filename '{longName}' in put-wal for server 'pg1'");
    }

    [Fact]
    public async Task PutWal_header_with_a_bad_checksum_is_not_taken_for_a_member()
    {
        var stream = Tar((Wal, WalBytes), ("SHA256SUMS", Line($"{Sha256(WalBytes)} *{Wal}\n")));
        stream[1024 + 5] ^= 1; // a name byte of the WAL's ustar header, after the PAX header and its data

        var act = () => PutAsync(stream);

        (await act.Should().ThrowAsync<TarFormatException>()).Which.Message.Should().Be("bad checksum");
        IncomingEntries().Should().BeEmpty();
    }

    [Theory]
    [InlineData(0, "empty file")]
    [InlineData(100, "truncated header")]
    [InlineData(1024 + 100, "truncated header")]
    [InlineData(1536 + 20000, "unexpected end of data")]
    [InlineData(1536 + 50000 + 100, "unexpected end of data")]
    public async Task PutWal_stream_cut_short_is_an_exception_and_stores_nothing(int length, string message)
    {
        var stream = Tar((Wal, WalBytes), ("SHA256SUMS", Line($"{Sha256(WalBytes)} *{Wal}\n")));

        var act = () => PutAsync(stream[..length]);

        (await act.Should().ThrowAsync<TarFormatException>()).Which.Message.Should().Be(message);
        IncomingEntries().Should().BeEmpty();
    }

    [Fact]
    public async Task PutWal_with_only_an_empty_checksum_file_exits_0_writing_nothing()
    {
        (await PutAsync(Tar(("MD5SUMS", Array.Empty<byte>())))).Should().Be(0);
        IncomingEntries().Should().BeEmpty();
        _stdout.ToString().Should().BeEmpty();
    }

    [Theory]
    [InlineData("pg2", "ERROR: Inactive server: pg2\n")]
    [InlineData("all", "ERROR: You cannot use 'all' in a single server context\n")]
    [InlineData("nosuch", "ERROR: Unknown server 'nosuch'\n")]
    public async Task PutWal_refuses_servers_it_cannot_receive_for_before_reading_stdin(string server, string line)
    {
        (await PutAsync([], server, test: true)).Should().Be(1);
        (await PutAsync([], server)).Should().Be(1);

        _stderr.ToString().Should().Be(line + line);
        Directory.Exists(_home.IncomingDirectory(server)).Should().BeFalse();
    }

    [Fact]
    public async Task PutWal_test_is_silent_with_quiet()
    {
        (await PutAsync([], test: true, quiet: true)).Should().Be(0);
        _stdout.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task PutWal_removes_temporary_files_of_dead_processes_only()
    {
        Directory.CreateDirectory(_home.IncomingDirectory());
        var dead = Path.Combine(_home.IncomingDirectory(), $".{int.MaxValue - 1}-{Wal}");
        var alive = Path.Combine(_home.IncomingDirectory(), $".1-{Wal}");
        File.WriteAllText(dead, "partial");
        File.WriteAllText(alive, "partial");

        (await PutAsync(Tar(("SHA256SUMS", Array.Empty<byte>())))).Should().Be(0);

        File.Exists(dead).Should().BeFalse();
        File.Exists(alive).Should().BeTrue("process 1 exists");
    }
}

using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Restore;

/// <summary>The built <c>get-wal</c> as a process over a local archive (spec: get-wal §2–5): bytes, lookup, errors.</summary>
public sealed class GetWalCommandTests : IDisposable
{
    private const string Wal1 = "000000010000000000000001";
    private const string Wal2 = "000000010000000000000002";
    private const string Wal3 = "000000010000000000000003";
    private readonly GetWalSandbox _box = new();

    public void Dispose() => _box.Dispose();

    [Theory]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("lz4")]
    [InlineData("snappy")]
    public async Task GetWal_stdout_is_the_plain_segment_for_every_codec(string codec)
    {
        var plain = GetWalSandbox.Segment(1);
        _box.Store(Wal1, plain, codec);

        var (result, stdout) = await _box.GetWalToFileAsync(["pg1", Wal1]);

        result.ExitCode.Should().Be(0, result.ToString());
        stdout.Should().Equal(plain);
        result.Stderr.Should().NotContain("ERROR");
    }

    [Fact]
    public async Task GetWal_output_directory_prints_barmans_line_and_converts_on_request()
    {
        var plain = GetWalSandbox.Segment(2);
        var stored = _box.Store(Wal1, plain, "gzip");
        var target = Path.Combine(_box.Output, Wal1);

        var result = await _box.GetWalAsync(["-o", _box.Output, "pg1", Wal1]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal($"Sending WAL '{Wal1}' for server 'pg1' into '{target}' file");
        (await File.ReadAllBytesAsync(target)).Should().Equal(plain);

        (await _box.GetWalAsync(["-o", _box.Output, "-j", "pg1", Wal1])).ExitCode.Should().Be(0);
        var bzip2 = await File.ReadAllBytesAsync(target);
        bzip2.AsSpan(0, 3).ToArray().Should().Equal("BZh"u8.ToArray());
        GetWalSandbox.Decompress(bzip2, "bzip2").Should().Equal(plain);

        (await _box.GetWalAsync(["-o", _box.Output, "-j", "-z", "pg1", Wal1])).ExitCode.Should().Be(0);
        (await File.ReadAllBytesAsync(target)).Should().Equal(await File.ReadAllBytesAsync(stored), "-z on a gzip archive sends the stored file");

        (await _box.GetWalAsync(["-o", _box.Output, "--keep-compression", "pg1", Wal1])).ExitCode.Should().Be(0);
        (await File.ReadAllBytesAsync(target)).Should().Equal(await File.ReadAllBytesAsync(stored));
        Directory.GetFiles(_box.Output).Should().Equal(target);
    }

    [Fact]
    public async Task GetWal_plain_archive_gzip_output_round_trips()
    {
        var plain = GetWalSandbox.Segment(3);
        _box.Store(Wal1, plain);

        var (result, stdout) = await _box.GetWalToFileAsync(["-z", "pg1", Wal1]);

        result.ExitCode.Should().Be(0, result.ToString());
        GetWalSandbox.Decompress(stdout, "gzip").Should().Equal(plain);
    }

    [Fact]
    public async Task GetWal_missing_wal_exits_1_and_creates_no_output_file()
    {
        var (result, stdout) = await _box.GetWalToFileAsync(["pg1", Wal2]);

        result.ExitCode.Should().Be(1);
        result.StderrLines.Should().Contain($"ERROR: WAL file '{Wal2}' not found in server 'pg1'");
        stdout.Should().BeEmpty();

        var withOutput = await _box.GetWalAsync(["-o", _box.Output, "pg1", Wal2], new Dictionary<string, string?> { ["SSH_CONNECTION"] = "192.0.2.7 5000 192.0.2.8 22" });
        withOutput.ExitCode.Should().Be(1);
        withOutput.StderrLines.Should().Contain($"ERROR: WAL file '{Wal2}' not found in server 'pg1' (SSH host: 192.0.2.7)");
        Directory.GetFileSystemEntries(_box.Output).Should().BeEmpty();
    }

    [Fact]
    public async Task GetWal_corrupt_compressed_file_fails_with_no_partial_output()
    {
        var stored = GetWalSandbox.Compress(GetWalSandbox.Segment(4), "gzip");
        File.WriteAllBytes(_box.Store(Wal1, []), stored[..(stored.Length / 2)]);

        var (result, stdout) = await _box.GetWalToFileAsync(["pg1", Wal1]);
        var toDirectory = await _box.GetWalAsync(["-o", _box.Output, "pg1", Wal1]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().ContainSingle(l => l.StartsWith("ERROR: Error decompressing WAL: ", StringComparison.Ordinal));
        stdout.Should().BeEmpty();
        toDirectory.ExitCode.Should().Be(1, toDirectory.ToString());
        Directory.GetFileSystemEntries(_box.Output).Should().BeEmpty("no file, not even a temporary one, is left");
        Directory.GetFileSystemEntries(Path.Combine(_box.Home.WalsDirectory(), Wal1[..16])).Should().HaveCount(1, "nothing is written in wals/");
    }

    [Fact]
    public async Task GetWal_segment_that_decodes_to_the_wrong_size_is_an_error()
    {
        _box.Store(Wal1, GetWalSandbox.Segment(5, 1_000_000), "zstd");

        var (result, stdout) = await _box.GetWalToFileAsync(["pg1", Wal1]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("decodes to 1000000 bytes, not a complete WAL segment");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task GetWal_argument_errors_follow_barman()
    {
        var badName = await _box.GetWalAsync(["pg1", "foo.txt"]);
        badName.ExitCode.Should().Be(3);
        badName.StderrLines.Should().Contain("ERROR: 'foo.txt' is not a valid wal file name");

        var unknown = await _box.GetWalAsync(["nosuch", Wal1]);
        unknown.ExitCode.Should().Be(1);
        unknown.StderrLines.Should().Contain("ERROR: Unknown server 'nosuch'");

        var all = await _box.GetWalAsync(["all", Wal1]);
        all.StderrLines.Should().Contain("ERROR: You cannot use 'all' in a single server context");

        var test = await _box.GetWalAsync(["--test", "pg1", "dummy_wal_name"]);
        test.ExitCode.Should().Be(0);
        test.StdoutLines.Should().Equal("Ready to retrieve WAL files from the server pg1");

        var clash = await _box.GetWalAsync(["-z", "--keep-compression", "pg1", Wal1]);
        clash.ExitCode.Should().Be(1);
        clash.StderrLines.Should().Contain("ERROR: argument `gzip` not allowed with argument `keep-compression`");

        var peek = await _box.GetWalAsync(["--peek", "0", "pg1", Wal1]);
        peek.ExitCode.Should().Be(2);
        peek.Stderr.Should().Contain("argument --peek/-p: '0' is not a valid positive integer");

        var noDirectory = await _box.GetWalAsync(["-o", Path.Combine(_box.Output, "missing"), "pg1", Wal1]);
        noDirectory.ExitCode.Should().Be(3);
        noDirectory.Stderr.Should().Contain($"ERROR: Unable to open '{Path.Combine(_box.Output, "missing", Wal1)}' file: [Errno 2] No such file or directory");
    }

    [Fact]
    public async Task GetWal_looks_in_incoming_streaming_and_partial_files_in_barmans_order()
    {
        var incoming = GetWalSandbox.Segment(6);
        var partial = GetWalSandbox.Segment(7);
        File.WriteAllBytes(Path.Combine(_box.Home.IncomingDirectory(), Wal2), GetWalSandbox.Compress(incoming, "gzip"));
        File.WriteAllBytes(Path.Combine(_box.Home.StreamingDirectory(), Wal3 + ".partial"), partial);

        var (fromIncoming, bytes) = await _box.GetWalToFileAsync(["pg1", Wal2]);
        fromIncoming.ExitCode.Should().Be(0, fromIncoming.ToString());
        bytes.Should().Equal(incoming);

        (await _box.GetWalAsync(["pg1", Wal3])).ExitCode.Should().Be(1, "a .partial is served only with -P");
        var withPartial = await _box.GetWalAsync(["-P", "-o", _box.Output, "pg1", Wal3]);
        withPartial.ExitCode.Should().Be(0, withPartial.ToString());
        withPartial.StdoutLines.Should().Equal($"Sending WAL '{Wal3}.partial' for server 'pg1' into '{Path.Combine(_box.Output, Wal3)}' file");
        (await File.ReadAllBytesAsync(Path.Combine(_box.Output, Wal3))).Should().Equal(partial);
    }

    [Fact]
    public async Task GetWal_peek_lists_what_exists_on_the_timeline()
    {
        _box.Store(Wal1, GetWalSandbox.Segment(8), "gzip");
        _box.Store(Wal2, GetWalSandbox.Segment(9), "gzip");
        File.WriteAllBytes(Path.Combine(_box.Home.IncomingDirectory(), Wal3), GetWalSandbox.Segment(10));
        _box.Store("00000002.history", "1\t0/3000000\tno recovery target specified\n"u8.ToArray());

        var peek = await _box.GetWalAsync(["--peek", "10", "pg1", Wal2]);
        var history = await _box.GetWalAsync(["-p", "3", "pg1", "00000002.history"]);

        peek.ExitCode.Should().Be(0, peek.ToString());
        peek.StdoutLines.Should().Equal(Wal2, Wal3);
        history.StdoutLines.Should().Equal("00000002.history");
    }

    [Fact]
    public async Task GetWal_serves_a_read_only_archive_to_the_postgres_user_with_conversion()
    {
        var plain = GetWalSandbox.Segment(11);
        _box.Store(Wal1, plain, "xz");
        RestoreHome.OpenForReading(_box.Home);
        var output = Path.Combine(Path.GetTempPath(), "bw-restore-out-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(output);
        try
        {
            if (Prerequisites.IsRoot)
                (await ProcessRunner.RunAsync("chown", ["postgres:postgres", output])).ExitCode.Should().Be(0);
            (await RestoreHome.PostgresCanWriteAsync(_box.Home.WalsDirectory())).Should().BeFalse();

            var result = await PostgresUser.RunAsync(ToolRunner.DotnetHost,
                [ToolRunner.ToolAssembly, "-c", _box.Home.ConfigPath, "get-wal", "-j", "-o", output, "pg1", Wal1]);

            result.ExitCode.Should().Be(0, result.ToString());
            GetWalSandbox.Decompress(await File.ReadAllBytesAsync(Path.Combine(output, Wal1)), "bzip2").Should().Equal(plain);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}

using System.IO.Compression;
using Barman.Wal.Archiving;
using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>archive-wal with WAL header validation over real PostgreSQL 15 WAL, run as a process.</summary>
[Collection(RealWalCollection.Name)]
public sealed class HeaderValidationEndToEndTests(RealWalFixture wal) : IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private void Configure(Dictionary<string, string>? extra = null)
    {
        var options = new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on" };
        foreach (var (k, v) in extra ?? [])
            options[k] = v;
        _home.WriteConfig(options);
        _home.CreateServerDirectories();
    }

    private Task<ProcessResult> ArchiveAsync() => ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);

    private string[] Errors() => Directory.GetFiles(_home.ErrorsDirectory()).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task ArchiveWal_first_segment_records_the_system_id_in_the_server_directory()
    {
        Configure();
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0], wal.Segments[1]);

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        var identity = File.ReadAllText(Path.Combine(_home.ServerDirectory(), "barman-wal-identity.json"));
        identity.Should().Be($"{{\n    \"learned_from\": \"{wal.Segments[0]}\",\n    \"systemid\": \"{wal.SystemIdentifier}\",\n    \"wal_segment_size\": 16777216\n}}\n");
        _home.ReadXlogDb().Should().HaveCount(2);
    }

    [Fact]
    public async Task ArchiveWal_segment_of_another_system_goes_to_errors_as_foreign()
    {
        Configure();
        File.WriteAllText(Path.Combine(_home.ServerDirectory(), "identity.json"), "{\n    \"systemid\": \"42\",\n    \"version\": \"15\"\n}\n");
        wal.CopyTo(_home.IncomingDirectory(), wal.Segments[0], wal.BackupLabel);

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Contain(
            $"\tError: {wal.Segments[0]} was not archived: it belongs to another PostgreSQL system (expected system id 42, found {wal.SystemIdentifier}). File moved to errors directory.");
        Errors().Should().ContainSingle().Which.Should().MatchRegex($"^{wal.Segments[0]}\\.\\d{{8}}T\\d{{6}}Z\\.foreign$");
        File.ReadAllBytes(Path.Combine(_home.ErrorsDirectory(), Errors()[0])).Should().Equal(wal.Read(wal.Segments[0]));
        _home.ReadXlogDb().Should().ContainSingle().Which.Should().StartWith(wal.BackupLabel + "\t");
        File.ReadAllText(_home.LogFile).Should().Contain("expected system id 42");
        WalHeaderGate.CountRejected(_home.ErrorsDirectory()).Should().Be((1, 0));
    }

    [Fact]
    public async Task ArchiveWal_gzip_segment_of_another_system_is_read_decompressed()
    {
        Configure();
        File.WriteAllText(Path.Combine(_home.ServerDirectory(), "barman-wal-identity.json"), "{\"systemid\": \"7\", \"wal_segment_size\": 16777216}\n");
        using (var target = File.Create(Path.Combine(_home.IncomingDirectory(), wal.Segments[1])))
        using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
            gzip.Write(wal.Read(wal.Segments[1]));

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain($"expected system id 7, found {wal.SystemIdentifier}");
        Errors().Should().ContainSingle().Which.Should().EndWith(".foreign");
        _home.ListArchive().Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_truncated_and_empty_segments_go_to_errors_as_corrupt()
    {
        Configure();
        var incoming = _home.IncomingDirectory();
        File.WriteAllBytes(Path.Combine(incoming, wal.Segments[0]), wal.Read(wal.Segments[0])[..(1 << 20)]);
        File.WriteAllBytes(Path.Combine(incoming, wal.Segments[1]), []);
        wal.CopyTo(incoming, wal.Segments[2]);
        foreach (var stale in wal.Segments.Take(2)) // short and unmodified for an hour: no copy is writing them
            File.SetLastWriteTimeUtc(Path.Combine(incoming, stale), DateTime.UtcNow.AddHours(-1));

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Contain($"\tError: {wal.Segments[0]} was not archived: the file is 1048576 bytes, the segment size is 16777216 (truncated or padded). File moved to errors directory.");
        result.StdoutLines.Should().Contain($"\tError: {wal.Segments[1]} was not archived: the file is empty. File moved to errors directory.");
        Errors().Should().HaveCount(2).And.OnlyContain(e => e.EndsWith(".corrupt", StringComparison.Ordinal));
        _home.ListArchive().Should().Equal($"{wal.Segments[2][..16]}/{wal.Segments[2]}");
        Directory.GetFiles(incoming).Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_segment_renamed_to_another_position_goes_to_errors_as_corrupt()
    {
        Configure();
        var wrong = wal.Segments[0][..16] + "000000F0";
        File.WriteAllBytes(Path.Combine(_home.IncomingDirectory(), wrong), wal.Read(wal.Segments[0]));

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain($"\tError: {wrong} was not archived: the header is of WAL position");
        Errors().Should().ContainSingle().Which.Should().EndWith(".corrupt");
    }

    [Fact]
    public async Task ArchiveWal_with_validation_off_archives_a_truncated_segment_as_barman_does()
    {
        Configure(new() { ["wal_header_validation"] = "off" });
        File.WriteAllBytes(Path.Combine(_home.IncomingDirectory(), wal.Segments[0]), wal.Read(wal.Segments[0])[..4096]);
        File.SetLastWriteTimeUtc(Path.Combine(_home.IncomingDirectory(), wal.Segments[0]), DateTime.UtcNow.AddHours(-1));

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().BeEmpty();
        _home.ListArchive().Should().ContainSingle();
        Errors().Should().BeEmpty();
        File.Exists(Path.Combine(_home.ServerDirectory(), "barman-wal-identity.json")).Should().BeFalse();
    }
}

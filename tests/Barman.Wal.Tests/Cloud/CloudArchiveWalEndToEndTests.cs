using System.Globalization;
using Barman.Wal.Compression;
using Barman.Wal.Storage;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Cloud;

/// <summary>The built CLI's archive-wal with an <c>s3://</c> wals_directory, against the real s3rver.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class CloudArchiveWalEndToEndTests(S3ServerHarness s3) : IDisposable
{
    private const string Segment = "000000010000000000000001";
    private readonly BarmanHome _home = new();

    private string Configure(string testName, string compression = "gzip", Dictionary<string, string>? extra = null)
    {
        var url = s3.NewUrl(testName);
        var options = new Dictionary<string, string>
        {
            ["description"] = "cloud",
            ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres",
            ["archiver"] = "on",
            ["compression"] = compression,
            ["wals_directory"] = url,
            ["xlogdb_directory"] = _home.WalsDirectory(),
        };
        foreach (var (key, value) in extra ?? [])
            options[key] = value;
        _home.WriteConfig(options);
        _home.CreateServerDirectories();
        return url;
    }

    private string Offer(string name = Segment, int seed = 1)
    {
        var bytes = new byte[1 << 16];
        new Random(seed).NextBytes(bytes.AsSpan(0, bytes.Length / 2));
        var path = Path.Combine(_home.IncomingDirectory(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Key(string url, string name, string extension) =>
        $"{url["s3://".Length..].Split('/', 2)[1]}/pg1/wals/{name[..16]}/{name}{extension}";

    private Task<ProcessResult> ArchiveWalAsync(IReadOnlyDictionary<string, string?>? environment = null) =>
        ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], environment ?? s3.Server.Environment);

    [Fact]
    public async Task ArchiveWal_to_s3_uploads_catalogues_and_removes_source()
    {
        var url = Configure(nameof(ArchiveWal_to_s3_uploads_catalogues_and_removes_source));
        var source = Offer();
        var plain = await File.ReadAllBytesAsync(source);
        var mtime = File.GetLastWriteTimeUtc(source);

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Should().Contain("\t" + Segment);
        File.Exists(source).Should().BeFalse();
        var stored = await s3.ReadObjectAsync(Key(url, Segment, ".gz"));
        using (var decoded = new WalCodecRegistry().Get("gzip").OpenDecompressor(new MemoryStream(stored)))
        using (var buffer = new MemoryStream())
        {
            await decoded.CopyToAsync(buffer);
            buffer.ToArray().Should().Equal(plain);
        }

        var line = _home.ReadXlogDb().Should().ContainSingle().Subject.Split('\t');
        line[0].Should().Be(Segment);
        line[1].Should().Be(stored.Length.ToString(CultureInfo.InvariantCulture));
        double.Parse(line[2], CultureInfo.InvariantCulture).Should().BeApproximately(new DateTimeOffset(mtime).ToUnixTimeMilliseconds() / 1000.0, 0.001);
        line[3].Should().Be("gzip");
        line[4].Should().Be("None");
    }

    [Fact]
    public async Task ArchiveWal_same_wal_offered_again_is_matching_duplicate()
    {
        Configure(nameof(ArchiveWal_same_wal_offered_again_is_matching_duplicate));
        Offer();
        (await ArchiveWalAsync()).ExitCode.Should().Be(0);
        var again = Offer();

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(0, run.ToString());
        File.Exists(again).Should().BeFalse("a matching duplicate's source is removed");
        BarmanHome.ListFiles(_home.ErrorsDirectory()).Should().BeEmpty();
        _home.ReadXlogDb().Should().ContainSingle();
    }

    [Fact]
    public async Task ArchiveWal_different_wal_with_same_name_goes_to_errors()
    {
        Configure(nameof(ArchiveWal_different_wal_with_same_name_goes_to_errors));
        Offer(seed: 1);
        (await ArchiveWalAsync()).ExitCode.Should().Be(0);
        var other = Offer(seed: 2);

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Should().Contain($"\tError: {Segment} is already present in server pg1. File moved to errors directory.");
        File.Exists(other).Should().BeFalse();
        BarmanHome.ListFiles(_home.ErrorsDirectory()).Should().ContainSingle().Which.Should().StartWith(Segment).And.EndWith(".duplicate");
    }

    [Fact]
    public async Task ArchiveWal_with_s3_unreachable_exits_1_with_one_line_and_keeps_source()
    {
        var url = Configure(nameof(ArchiveWal_with_s3_unreachable_exits_1_with_one_line_and_keeps_source));
        var source = Offer();
        var endpoint = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string?>(s3.Server.Environment) { ["AWS_ENDPOINT_URL"] = endpoint, ["AWS_ENDPOINT_URL_S3"] = endpoint };

        var run = await ArchiveWalAsync(environment);

        run.ExitCode.Should().Be(1, run.ToString());
        var error = run.StderrLines.Should().ContainSingle(l => l.StartsWith("EXCEPTION: ", StringComparison.Ordinal)).Subject;
        error.Should().Contain(Segment).And.Contain(Key(url, Segment, ".gz")).And.Contain("Connection refused");
        File.Exists(source).Should().BeTrue();
        _home.ReadXlogDb().Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_after_kill_between_upload_and_removal_completes_and_repairs_catalog()
    {
        // The state a kill leaves between the upload and the catalog line: the object is stored, the
        // source is still in incoming, xlog.db has no line. It is produced with the strategy itself.
        var url = Configure(nameof(ArchiveWal_after_kill_between_upload_and_removal_completes_and_repairs_catalog));
        var source = Offer();
        var registry = new WalCodecRegistry();
        var pipeline = new WalPipeline(new CodecTransform(registry.Get("gzip"), compress: true), null, new RegistryContentReader(registry, false));
        var storage = s3.CreateStrategy(url, pipeline);
        var mtime = Barman.Wal.Platform.FileStatus.TryGet(source)!.Value.PythonModifyTime;
        var first = new Barman.Wal.Catalog.WalFileInfo { Name = Segment, Size = 1 << 16, Time = mtime, OriginalPath = source };
        (await storage.SaveAsync(first)).Outcome.Should().Be(StoreOutcome.Stored);

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(0, run.ToString());
        File.Exists(source).Should().BeFalse();
        var line = _home.ReadXlogDb().Should().ContainSingle().Subject.Split('\t');
        line[0].Should().Be(Segment);
        line[1].Should().Be(first.Size.ToString(CultureInfo.InvariantCulture));
        double.Parse(line[2], CultureInfo.InvariantCulture).Should().Be(mtime);
        line[3].Should().Be("gzip");
    }

    [Fact]
    public async Task ArchiveWal_with_pigz_on_cloud_exits_1_with_Barmans_error()
    {
        Configure(nameof(ArchiveWal_with_pigz_on_cloud_exits_1_with_Barmans_error), compression: "pigz");
        var source = Offer();

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(1, run.ToString());
        run.StderrLines.Should().Contain(
            "EXCEPTION: Cloud WAL storage only supports in-memory compression algorithms (gzip, bzip2, xz, zstd, lz4, snappy). pigz and custom compressors are not supported.");
        File.Exists(source).Should().BeTrue();
    }

    [Fact]
    public async Task ArchiveWal_with_pigz_on_cloud_fails_before_any_hook_runs()
    {
        var marker = Path.Combine(_home.Root, "pre-hook-ran");
        Configure(nameof(ArchiveWal_with_pigz_on_cloud_fails_before_any_hook_runs), compression: "pigz",
            extra: new() { ["pre_archive_script"] = $"touch {marker}" });
        var source = Offer();

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(1, run.ToString());
        run.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\t" + Segment);
        File.Exists(marker).Should().BeFalse("spec storage §4.3: the first save fails before any hook runs");
        File.Exists(source).Should().BeTrue();
    }

    public void Dispose() => _home.Dispose();
}

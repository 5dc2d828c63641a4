using System.Globalization;
using Barman.Wal.Compression;
using Barman.Wal.Storage;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Cloud;

/// <summary>
/// The built CLI's archive-wal with an <c>s3://</c> wals_directory, against the real s3rver: in both modes, a
/// store that enforces conditional writes and one that ignores them (subclasses).
/// </summary>
public abstract class CloudArchiveWalEndToEndTests(S3ServerHarness s3) : IDisposable
{
    protected const string Segment = "000000010000000000000001";
    private readonly BarmanHome _home = new();

    protected S3ServerHarness S3 => s3;

    protected BarmanHome Home => _home;

    protected string Configure(string testName, string compression = "gzip", Dictionary<string, string>? extra = null) =>
        Configure(_home, s3.NewUrl(testName), compression, extra);

    protected static string Configure(BarmanHome home, string url, string compression = "gzip", Dictionary<string, string>? extra = null)
    {
        var options = new Dictionary<string, string>
        {
            ["description"] = "cloud",
            ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres",
            ["archiver"] = "on",
            ["compression"] = compression,
            ["wals_directory"] = url,
            ["xlogdb_directory"] = home.WalsDirectory(),
        };
        foreach (var (key, value) in extra ?? [])
            options[key] = value;
        home.WriteConfig(options);
        home.CreateServerDirectories();
        return url;
    }

    protected string Offer(string name = Segment, int seed = 1) => Offer(_home, name, seed);

    protected static string Offer(BarmanHome home, string name = Segment, int seed = 1)
    {
        var path = Path.Combine(home.IncomingDirectory(), name);
        File.WriteAllBytes(path, Content(seed));
        return path;
    }

    /// <summary>A WAL-like 64 KiB body: half pattern, half zeros.</summary>
    protected static byte[] Content(int seed)
    {
        var bytes = new byte[1 << 16];
        new Random(seed).NextBytes(bytes.AsSpan(0, bytes.Length / 2));
        return bytes;
    }

    protected static string Key(string url, string name, string extension) =>
        $"{url["s3://".Length..].Split('/', 2)[1]}/pg1/wals/{name[..16]}/{name}{extension}";

    protected Task<ProcessResult> ArchiveWalAsync(IReadOnlyDictionary<string, string?>? environment = null) =>
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
    public async Task ArchiveWal_different_wal_with_same_name_goes_to_errors_and_leaves_object_unchanged()
    {
        var url = Configure(nameof(ArchiveWal_different_wal_with_same_name_goes_to_errors_and_leaves_object_unchanged));
        Offer(seed: 1);
        (await ArchiveWalAsync()).ExitCode.Should().Be(0);
        var before = await s3.ReadObjectAsync(Key(url, Segment, ".gz"));
        var other = Offer(seed: 2);
        var otherBytes = await File.ReadAllBytesAsync(other);

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdoutLines.Should().Contain($"\tError: {Segment} is already present in server pg1. File moved to errors directory.");
        File.Exists(other).Should().BeFalse();
        var quarantined = BarmanHome.ListFiles(_home.ErrorsDirectory()).Should().ContainSingle().Which;
        quarantined.Should().StartWith(Segment).And.EndWith(".duplicate");
        (await File.ReadAllBytesAsync(Path.Combine(_home.ErrorsDirectory(), quarantined))).Should().Equal(otherBytes);
        (await s3.ReadObjectAsync(Key(url, Segment, ".gz"))).Should().Equal(before, "the archived WAL is never replaced");
        _home.ReadXlogDb().Should().ContainSingle();
    }

    [Fact]
    public async Task ArchiveWal_wal_stored_under_another_compression_is_compared_not_uploaded_again()
    {
        var url = Configure(nameof(ArchiveWal_wal_stored_under_another_compression_is_compared_not_uploaded_again), compression: "bzip2");
        Offer(seed: 3);
        (await ArchiveWalAsync()).ExitCode.Should().Be(0);
        var before = await s3.ReadObjectAsync(Key(url, Segment, ".bz2"));
        Configure(_home, url, compression: "zstd");
        Offer(seed: 3);
        Offer("000000010000000000000002", seed: 4);

        var run = await ArchiveWalAsync();

        run.ExitCode.Should().Be(0, run.ToString());
        BarmanHome.ListFiles(_home.ErrorsDirectory()).Should().BeEmpty("the same WAL, stored as .bz2, is a matching duplicate");
        var prefix = Key(url, Segment, string.Empty)[..^Segment.Length];
        (await s3.ListKeysAsync(prefix)).Should().BeEquivalentTo(
            [Key(url, Segment, ".bz2"), Key(url, "000000010000000000000002", ".zst")]);
        (await s3.ReadObjectAsync(Key(url, Segment, ".bz2"))).Should().Equal(before);
        _home.ReadXlogDb().Select(l => l.Split('\t')[3]).Should().Equal("bzip2", "zstd");
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

/// <summary>archive-wal end to end on a store that enforces <c>If-None-Match: *</c>, plus concurrent archivers.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class EnforcingCloudArchiveWalEndToEndTests(S3ServerHarness s3) : CloudArchiveWalEndToEndTests(s3)
{
    [Fact]
    public async Task ArchiveWal_two_concurrent_archivers_into_one_prefix_store_each_wal_once_without_false_duplicates()
    {
        // Two barman_homes whose server pg1 archives into the same s3:// prefix, each offered the same WALs,
        // archived at the same time by two processes: both race for every key.
        var url = S3.NewUrl(nameof(ArchiveWal_two_concurrent_archivers_into_one_prefix_store_each_wal_once_without_false_duplicates));
        using var other = new BarmanHome();
        var names = Enumerable.Range(1, 12).Select(i => $"0000000100000000000000{i:X2}").ToList();
        foreach (var home in new[] { Home, other })
        {
            Configure(home, url);
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
                Offer(home, name, seed: 100 + i);
        }

        var runs = await Task.WhenAll(
            ToolRunner.RunAsync(Home, ["archive-wal", "pg1"], S3.Server.Environment),
            ToolRunner.RunAsync(other, ["archive-wal", "pg1"], S3.Server.Environment));

        foreach (var (run, home) in runs.Zip(new[] { Home, other }))
        {
            run.ExitCode.Should().Be(0, run.ToString());
            BarmanHome.ListFiles(home.ErrorsDirectory()).Should().BeEmpty("no false duplicates");
            Directory.GetFileSystemEntries(home.IncomingDirectory()).Should().BeEmpty();
            home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().Equal(names);
        }

        var prefix = Key(url, Segment, string.Empty)[..^Segment.Length];
        (await S3.ListKeysAsync(prefix)).Should().BeEquivalentTo(names.Select(n => Key(url, n, ".gz")), "each WAL is stored once");
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var stored = await S3.ReadObjectAsync(Key(url, name, ".gz"));
            using var decoded = new WalCodecRegistry().Get("gzip").OpenDecompressor(new MemoryStream(stored));
            using var plain = new MemoryStream();
            await decoded.CopyToAsync(plain);
            plain.ToArray().Should().Equal(Content(100 + i));
        }
    }
}

/// <summary>archive-wal end to end on a store that ignores conditional writes (a PUT always overwrites).</summary>
[Collection(IgnoringS3ServerCollection.Name)]
public sealed class IgnoringCloudArchiveWalEndToEndTests(IgnoringS3ServerHarness s3) : CloudArchiveWalEndToEndTests(s3);

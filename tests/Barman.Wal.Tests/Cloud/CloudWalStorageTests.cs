using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Platform;
using Barman.Wal.Storage;
using Barman.Wal.Storage.Cloud;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Cloud;

/// <summary>What only the S3 strategy has: its key layout, the wire, multipart, races and provider errors.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class CloudWalStorageTests(S3ServerHarness s3) : IDisposable
{
    private const string Segment = "000000010000000000000001";
    private readonly string _sources = Directory.CreateTempSubdirectory("barman-wal-cloud-src-").FullName;

    private static WalPipeline Pipeline(string? compression = null)
    {
        var registry = new WalCodecRegistry();
        var compressor = compression is null ? null : new CodecTransform(registry.Get(compression), compress: true);
        return new WalPipeline(compressor, null, new RegistryContentReader(registry, false));
    }

    private WalFileInfo Source(string name = Segment, int seed = 1, int length = 1 << 16)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes.AsSpan(0, length / 2));
        var path = Path.Combine(_sources, Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return new WalFileInfo { Name = name, Size = length, Time = FileStatus.TryGet(path)!.Value.PythonModifyTime, OriginalPath = path };
    }

    [Theory]
    [InlineData("s3://wal-bucket/barman", null, Segment, "barman/pg1/wals/0000000100000000/000000010000000000000001")]
    [InlineData("s3://wal-bucket/barman", "gzip", Segment, "barman/pg1/wals/0000000100000000/000000010000000000000001.gz")]
    [InlineData("s3://wal-bucket/barman/", "pybzip2", Segment, "barman/pg1/wals/0000000100000000/000000010000000000000001.bz2")]
    [InlineData("s3://wal-bucket/barman", null, "00000002.history", "barman/pg1/wals/00000002.history")]
    [InlineData("s3://wal-bucket/barman", "zstd", "000000010000000000000003.00000028.backup", "barman/pg1/wals/0000000100000000/000000010000000000000003.00000028.backup.zst")]
    [InlineData("s3://wal-bucket", "snappy", Segment, "pg1/wals/0000000100000000/000000010000000000000001.snappy")]
    [InlineData("s3://wal-bucket/a/b", "lz4", Segment, "a/b/pg1/wals/0000000100000000/000000010000000000000001.lz4")]
    [InlineData("s3://wal-bucket/a", "xz", Segment, "a/pg1/wals/0000000100000000/000000010000000000000001.xz")]
    public void GetFullPath_builds_barman_cloud_key(string url, string? compression, string name, string key)
    {
        var storage = s3.CreateStrategy(url, Pipeline(compression));

        storage.GetFullPath(name).Should().Be(key);
        storage.Location.Bucket.Should().Be("wal-bucket");
    }

    [Fact]
    public async Task SaveAsync_sends_plain_unchunked_body_with_source_mtime_metadata()
    {
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(SaveAsync_sends_plain_unchunked_body_with_source_mtime_metadata)), Pipeline("gzip"));
        var wal = Source();

        var staged = await storage.SaveAsync(wal);

        var onDisk = await File.ReadAllBytesAsync(s3.ObjectFile(staged.Destination));
        onDisk.Should().Equal(await s3.ReadObjectAsync(staged.Destination));
        onDisk.Length.Should().Be((int)wal.Size);
        onDisk.AsSpan(0, 2).ToArray().Should().Equal(0x1f, 0x8b);
        var metadata = await File.ReadAllTextAsync(Path.ChangeExtension(s3.ObjectFile(staged.Destination), "._S3rver_metadata.json"));
        metadata.Should().Contain(CloudWalStorageStrategy.MtimeMetadata);
    }

    [Fact]
    public async Task StageAsync_racing_creates_of_one_name_store_exactly_once()
    {
        var url = s3.NewUrl(nameof(StageAsync_racing_creates_of_one_name_store_exactly_once));
        var racers = Enumerable.Range(0, 6).Select(_ => (Storage: s3.CreateStrategy(url, Pipeline("gzip")), Wal: Source(seed: 4))).ToList();

        var outcomes = await Task.WhenAll(racers.Select(r => Task.Run(() => r.Storage.StageAsync(r.Wal))));

        outcomes.Count(o => o.Outcome == StoreOutcome.Stored).Should().Be(1);
        outcomes.Count(o => o.Outcome == StoreOutcome.MatchingDuplicate).Should().Be(5);
    }

    [Fact]
    public async Task SaveAsync_above_part_size_uploads_multipart()
    {
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(SaveAsync_above_part_size_uploads_multipart)), Pipeline(), partSize: CloudStorageOptions.MinimumPartSize);
        var wal = Source(length: (int)(2.5 * CloudStorageOptions.MinimumPartSize));

        var staged = await storage.SaveAsync(wal);

        staged.Outcome.Should().Be(StoreOutcome.Stored);
        wal.Size.Should().Be(new FileInfo(wal.OriginalPath!).Length);
        (await s3.ReadObjectAsync(staged.Destination)).Should().Equal(await File.ReadAllBytesAsync(wal.OriginalPath!));
        (await storage.SaveAsync(Source(length: (int)(2.5 * CloudStorageOptions.MinimumPartSize)))).Outcome
            .Should().Be(StoreOutcome.MatchingDuplicate, "an existing key is found before a multipart upload starts");
    }

    [Fact]
    public async Task SaveAsync_compressed_above_part_size_uploads_buffered_parts()
    {
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(SaveAsync_compressed_above_part_size_uploads_buffered_parts)), Pipeline("gzip"), partSize: CloudStorageOptions.MinimumPartSize);
        var wal = Source(length: (int)(5 * CloudStorageOptions.MinimumPartSize));

        var staged = await storage.SaveAsync(wal);

        staged.Outcome.Should().Be(StoreOutcome.Stored);
        var stored = await s3.ReadObjectAsync(staged.Destination);
        stored.Length.Should().BeGreaterThan((int)(2 * CloudStorageOptions.MinimumPartSize), "the random half does not compress: three parts");
        wal.Size.Should().Be(stored.Length);
        using var decompressed = new MemoryStream();
        await using (var reader = new WalCodecRegistry().Get("gzip").OpenDecompressor(new MemoryStream(stored)))
            await reader.CopyToAsync(decompressed);
        decompressed.ToArray().Should().Equal(await File.ReadAllBytesAsync(wal.OriginalPath!));
    }

    [Theory]
    [InlineData("pigz")]
    [InlineData("custom")]
    public async Task StageAsync_with_external_compressor_fails_with_Barmans_message(string compression)
    {
        var registry = new WalCodecRegistry(new CustomCompressionOptions("gzip -c", "gzip -dc", null));
        var pipeline = new WalPipeline(new CodecTransform(registry.Get(compression), compress: true), null, new RegistryContentReader(registry, false));
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(StageAsync_with_external_compressor_fails_with_Barmans_message)), pipeline);
        var wal = Source();

        var act = () => storage.StageAsync(wal);

        (await act.Should().ThrowAsync<CloudCompressionUnsupportedException>()).Which.Message.Should().Be(
            "Cloud WAL storage only supports in-memory compression algorithms (gzip, bzip2, xz, zstd, lz4, snappy). pigz and custom compressors are not supported.");
        (await storage.ExistsAsync(storage.GetFullPath(Segment))).Should().BeFalse();
        File.Exists(wal.OriginalPath).Should().BeTrue();
    }

    [Fact]
    public async Task StageAsync_server_unreachable_throws_one_line_error_naming_wal_and_key()
    {
        var endpoint = $"http://127.0.0.1:{FreePort.Next()}";
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(StageAsync_server_unreachable_throws_one_line_error_naming_wal_and_key)), Pipeline("gzip"), endpoint: endpoint);
        var wal = Source();

        var act = () => storage.StageAsync(wal);

        var error = (await act.Should().ThrowAsync<CloudStorageException>()).Which;
        error.Message.Should().Contain(Segment).And.Contain(storage.GetFullPath(Segment)).And.Contain("Connection refused").And.NotContain("\n");
        File.Exists(wal.OriginalPath).Should().BeTrue();
    }

    [Fact]
    public async Task StageAsync_server_that_never_answers_times_out()
    {
        await using var silent = new SilentTcpServer();
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(StageAsync_server_that_never_answers_times_out)), Pipeline(),
            endpoint: $"http://127.0.0.1:{silent.Port}", readTimeout: 1);

        var act = () => storage.StageAsync(Source());

        (await act.Should().ThrowAsync<CloudStorageException>()).Which.Message.Should().Contain(Segment).And.Contain("no answer within 1 s");
    }

    [Fact]
    public async Task StageAsync_missing_bucket_names_the_cause()
    {
        var storage = s3.CreateStrategy("s3://no-such-bucket/prefix", Pipeline());

        var act = () => storage.StageAsync(Source());

        (await act.Should().ThrowAsync<CloudStorageException>()).Which.Message.Should()
            .Contain("s3://no-such-bucket/prefix/pg1/wals/").And.Contain("NoSuchBucket");
    }

    [Fact]
    public async Task StageAsync_unknown_access_key_names_the_cause()
    {
        var env = s3.Environment();
        var storage = s3.CreateStrategy(s3.NewUrl(nameof(StageAsync_unknown_access_key_names_the_cause)), Pipeline(),
            environment: name => name == "AWS_ACCESS_KEY_ID" ? "NOT-KNOWN" : env(name));

        var act = () => storage.StageAsync(Source());

        (await act.Should().ThrowAsync<CloudStorageException>()).Which.Message.Should().Contain("403 InvalidAccessKeyId");
    }

    [Fact]
    public async Task DeleteAsync_in_small_batches_deletes_every_key_with_its_catalogued_compression()
    {
        var url = s3.NewUrl(nameof(DeleteAsync_in_small_batches_deletes_every_key_with_its_catalogued_compression));
        var storage = s3.CreateStrategy(url, Pipeline("gzip"), deleteBatchSize: 2);
        var wals = Enumerable.Range(1, 5).Select(i => Source($"00000001000000000000000{i}", seed: i, length: 1024)).ToList();
        foreach (var wal in wals)
            await storage.SaveAsync(wal);
        var plain = s3.CreateStrategy(url, Pipeline());
        var uncompressed = Source("000000010000000000000009", length: 1024);
        await plain.SaveAsync(uncompressed);

        var deleted = await storage.DeleteAsync([.. wals, uncompressed]);

        deleted.Should().HaveCount(6);
        foreach (var wal in wals)
            (await storage.ExistsAsync(storage.GetFullPath(wal.Name))).Should().BeFalse();
        (await plain.ExistsAsync(plain.GetFullPath(uncompressed.Name))).Should().BeFalse();
    }

    public void Dispose() => Directory.Delete(_sources, recursive: true);
}

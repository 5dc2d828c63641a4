using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Platform;
using Barman.Wal.Storage;

namespace Barman.Wal.Tests.Storage;

/// <summary>
/// The storage conformance suite, written once and run against every <see cref="WalStorageStrategy"/>:
/// a subclass only says how to create a strategy at a fresh location and how to read a stored object.
/// </summary>
public abstract partial class WalStorageContract : IDisposable
{
    /// <summary>Barman's in-memory codecs: the ones both strategies accept.</summary>
    public static TheoryData<string> InProcessCodecs => new() { "gzip", "bzip2", "pygzip", "pybzip2", "xz", "zstd", "lz4", "snappy" };

    protected const string Segment = "000000010000000000000001";

    private readonly string _sources = Directory.CreateTempSubdirectory("barman-wal-contract-src-").FullName;

    /// <summary>A fresh, empty location (a directory or an S3 URL prefix) for one test.</summary>
    protected abstract string NewLocation();

    /// <summary>A strategy storing at <paramref name="location"/> through <paramref name="pipeline"/>.</summary>
    protected abstract WalStorageStrategy CreateStrategy(string location, WalPipeline pipeline);

    /// <summary>The raw bytes stored at <paramref name="fullPath"/> (a path or an object key).</summary>
    protected abstract Task<byte[]> ReadStoredAsync(WalStorageStrategy strategy, string fullPath);

    protected static WalPipeline Pipeline(string? compression = null, IWalTransform? encryptor = null)
    {
        var registry = new WalCodecRegistry();
        var compressor = compression is null ? null : new CodecTransform(registry.Get(compression), compress: true);
        return new WalPipeline(compressor, encryptor, new RegistryContentReader(registry, false));
    }

    protected WalStorageStrategy NewStrategy(string? compression = null) => CreateStrategy(NewLocation(), Pipeline(compression));

    /// <summary>A WAL-like source file: half pattern, half zeros (compressible), with a fixed mtime.</summary>
    protected WalFileInfo Source(string name = Segment, int seed = 1, int length = 1 << 17, byte[]? content = null)
    {
        var bytes = content ?? Content(seed, length);
        var path = Path.Combine(_sources, Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddSeconds(seed));
        var status = FileStatus.TryGet(path)!.Value;
        return new WalFileInfo { Name = name, Size = bytes.Length, Time = status.PythonModifyTime, OriginalPath = path };
    }

    protected static byte[] Content(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes.AsSpan(0, length / 2));
        return bytes;
    }

    protected static byte[] Decompress(string? compression, byte[] stored)
    {
        if (compression is null)
            return stored;
        using var input = new WalCodecRegistry().Get(compression).OpenDecompressor(new MemoryStream(stored));
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public async Task SaveAsync_uncompressed_stores_source_bytes()
    {
        var storage = NewStrategy();
        var wal = Source();
        var expected = File.ReadAllBytes(wal.OriginalPath!);

        var staged = await storage.SaveAsync(wal);

        staged.Outcome.Should().Be(StoreOutcome.Stored);
        staged.Destination.Should().Be(storage.GetFullPath(Segment));
        (await storage.ExistsAsync(storage.GetFullPath(Segment))).Should().BeTrue();
        (await ReadStoredAsync(storage, staged.Destination)).Should().Equal(expected);
        wal.Size.Should().Be(expected.Length);
        wal.Compression.Should().BeNull();
        wal.Encryption.Should().BeNull();
        File.Exists(wal.OriginalPath).Should().BeTrue("a strategy never removes the source");
    }

    [Theory]
    [MemberData(nameof(InProcessCodecs))]
    public async Task SaveAsync_with_codec_stores_decodable_object(string codec)
    {
        var storage = NewStrategy(codec);
        var wal = Source();
        var expected = File.ReadAllBytes(wal.OriginalPath!);

        var staged = await storage.SaveAsync(wal);

        staged.Outcome.Should().Be(StoreOutcome.Stored);
        wal.Compression.Should().Be(codec);
        var stored = await ReadStoredAsync(storage, storage.GetFullPath(Segment));
        wal.Size.Should().Be(stored.Length);
        stored.Length.Should().BeLessThan(expected.Length);
        Decompress(codec, stored).Should().Equal(expected);
    }

    [Fact]
    public async Task SaveAsync_precompressed_source_is_kept_as_it_is()
    {
        var storage = NewStrategy("bzip2");
        var plain = Content(3, 1 << 18);
        using var gz = new MemoryStream();
        await using (var compressor = new WalCodecRegistry().Get("gzip").OpenCompressor(gz, leaveOpen: true))
            compressor.Write(plain);
        var wal = Source(content: gz.ToArray());
        wal.Compression = "gzip";

        var staged = await storage.SaveAsync(wal);

        staged.Outcome.Should().Be(StoreOutcome.Stored);
        wal.Compression.Should().Be("gzip");
        Decompress("gzip", await ReadStoredAsync(storage, staged.Destination)).Should().Equal(plain);
    }

    [Fact]
    public async Task SaveAsync_history_file_is_stored()
    {
        var storage = NewStrategy("gzip");
        var wal = Source("00000002.history", content: "1\t0/3000000\tno recovery target specified\n"u8.ToArray());

        var staged = await storage.SaveAsync(wal);

        staged.Outcome.Should().Be(StoreOutcome.Stored);
        Decompress("gzip", await ReadStoredAsync(storage, storage.GetFullPath("00000002.history")))
            .Should().Equal(File.ReadAllBytes(wal.OriginalPath!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task SaveAsync_same_content_again_is_matching_duplicate(string? codec)
    {
        var storage = NewStrategy(codec);
        (await storage.SaveAsync(Source(seed: 5))).Outcome.Should().Be(StoreOutcome.Stored);
        var before = await ReadStoredAsync(storage, storage.GetFullPath(Segment));

        var again = Source(seed: 5);
        var staged = await storage.SaveAsync(again);

        staged.Outcome.Should().Be(StoreOutcome.MatchingDuplicate);
        (await ReadStoredAsync(storage, storage.GetFullPath(Segment))).Should().Equal(before);
        File.Exists(again.OriginalPath).Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task SaveAsync_different_content_is_duplicate_and_keeps_stored_object(string? codec)
    {
        var storage = NewStrategy(codec);
        await storage.SaveAsync(Source(seed: 5));
        var before = await ReadStoredAsync(storage, storage.GetFullPath(Segment));

        var staged = await storage.SaveAsync(Source(seed: 6));

        staged.Outcome.Should().Be(StoreOutcome.Duplicate);
        (await ReadStoredAsync(storage, storage.GetFullPath(Segment))).Should().Equal(before);
    }

    [Fact]
    public async Task SaveAsync_object_stored_by_another_writer_is_compared_not_overwritten()
    {
        var location = NewLocation();
        var first = CreateStrategy(location, Pipeline("gzip"));
        var second = CreateStrategy(location, Pipeline("gzip"));
        (await first.SaveAsync(Source(seed: 8))).Outcome.Should().Be(StoreOutcome.Stored);

        (await second.SaveAsync(Source(seed: 8))).Outcome.Should().Be(StoreOutcome.MatchingDuplicate);
        (await second.SaveAsync(Source(seed: 9))).Outcome.Should().Be(StoreOutcome.Duplicate);
    }

    [Fact]
    public async Task SaveAsync_wal_stored_with_another_compression_is_compared_not_stored_again()
    {
        var location = NewLocation();
        var first = CreateStrategy(location, Pipeline("gzip"));
        var second = CreateStrategy(location, Pipeline("zstd"));
        (await first.SaveAsync(Source(seed: 8))).Outcome.Should().Be(StoreOutcome.Stored);
        var before = await ReadStoredAsync(first, first.GetFullPath(Segment));

        (await second.SaveAsync(Source(seed: 8))).Outcome.Should().Be(StoreOutcome.MatchingDuplicate);
        (await second.SaveAsync(Source(seed: 9))).Outcome.Should().Be(StoreOutcome.Duplicate);

        (await ReadStoredAsync(first, first.GetFullPath(Segment))).Should().Equal(before, "the archived WAL is never replaced");
        (await second.DescribeStoredAsync(Segment))!.Compression.Should().Be("gzip", "nothing was stored under the new compression");
    }

    [Fact]
    public async Task SaveAsync_with_encryptor_stores_encrypted_compressed_stream()
    {
        using var gpg = new GpgTestEncryptor();
        var storage = CreateStrategy(NewLocation(), Pipeline("gzip", gpg));
        var wal = Source();
        var expected = File.ReadAllBytes(wal.OriginalPath!);

        var staged = await storage.SaveAsync(wal);

        staged.Outcome.Should().Be(StoreOutcome.Stored);
        wal.Compression.Should().Be("gzip");
        wal.Encryption.Should().Be("gpg");
        var stored = await ReadStoredAsync(storage, staged.Destination);
        wal.Size.Should().Be(stored.Length);
        Barman.Wal.Encryption.OpenPgpMessage.IsEncrypted(stored).Should().BeTrue();
        Decompress("gzip", gpg.Decrypt(stored)).Should().Equal(expected);
        (await storage.DescribeStoredAsync(Segment))!.Encryption.Should().Be("gpg");
        (await storage.SaveAsync(Source())).Outcome.Should().Be(StoreOutcome.Duplicate, "an encrypted object cannot be compared");
    }

    [Fact]
    public async Task StageAsync_source_vanished_throws_and_stores_nothing()
    {
        var storage = NewStrategy("gzip");
        var wal = Source();
        File.Delete(wal.OriginalPath!);

        var act = () => storage.StageAsync(wal);

        await act.Should().ThrowAsync<WalSourceVanishedException>();
        (await storage.ExistsAsync(storage.GetFullPath(Segment))).Should().BeFalse();
    }

    [Fact]
    public async Task StageAsync_cancelled_throws_and_stores_nothing()
    {
        var storage = NewStrategy("gzip");
        var wal = Source();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var act = () => storage.StageAsync(wal, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await storage.ExistsAsync(storage.GetFullPath(Segment))).Should().BeFalse();
        File.Exists(wal.OriginalPath).Should().BeTrue();
    }

    [Fact]
    public async Task StageAsync_concurrent_calls_store_every_file()
    {
        var storage = NewStrategy("lz4");
        var wals = Enumerable.Range(1, 8).Select(i => Source($"0000000100000000000000{i:X2}", seed: i)).ToList();

        var staged = await Task.WhenAll(wals.Select(w => Task.Run(() => storage.StageAsync(w))));
        foreach (var s in staged)
            await storage.CommitAsync(s);

        staged.Select(s => s.Outcome).Should().AllBeEquivalentTo(StoreOutcome.Stored);
        foreach (var wal in wals)
        {
            var stored = await ReadStoredAsync(storage, storage.GetFullPath(wal.Name));
            Decompress("lz4", stored).Should().Equal(File.ReadAllBytes(wal.OriginalPath!));
        }
    }

    [Fact]
    public async Task AbandonAsync_after_stage_leaves_nothing_in_place()
    {
        var storage = NewStrategy("gzip");
        var wal = Source();

        var staged = await storage.StageAsync(wal);
        await storage.AbandonAsync(staged);

        (await storage.ExistsAsync(storage.GetFullPath(Segment))).Should().BeFalse();
        (await storage.SaveAsync(Source())).Outcome.Should().Be(StoreOutcome.Stored);
    }

    [Fact]
    public async Task DescribeStoredAsync_returns_size_compression_and_source_mtime()
    {
        var storage = NewStrategy("gzip");
        var wal = Source();
        var sourceTime = wal.Time;
        await storage.SaveAsync(wal);

        var described = await storage.DescribeStoredAsync(Segment);

        described.Should().NotBeNull();
        described!.Name.Should().Be(Segment);
        described.Size.Should().Be(wal.Size);
        described.Compression.Should().Be("gzip");
        described.Encryption.Should().BeNull();
        described.Time.Should().Be(sourceTime);
    }

    [Fact]
    public async Task DescribeStoredAsync_missing_is_null()
    {
        var storage = NewStrategy();

        (await storage.DescribeStoredAsync(Segment)).Should().BeNull();
        (await storage.ExistsAsync(storage.GetFullPath(Segment))).Should().BeFalse();
    }

    [Fact]
    public async Task DeleteAsync_removes_only_the_given_wals()
    {
        var storage = NewStrategy("gzip");
        var wals = Enumerable.Range(1, 3).Select(i => Source($"00000001000000000000000{i}", seed: i, length: 4096)).ToList();
        foreach (var wal in wals)
            await storage.SaveAsync(wal);

        var deleted = await storage.DeleteAsync(wals.Take(2).ToList());

        deleted.Should().Equal(wals[0].Name, wals[1].Name);
        (await storage.ExistsAsync(storage.GetFullPath(wals[0].Name))).Should().BeFalse();
        (await storage.ExistsAsync(storage.GetFullPath(wals[1].Name))).Should().BeFalse();
        (await storage.ExistsAsync(storage.GetFullPath(wals[2].Name))).Should().BeTrue();
    }

    public void Dispose()
    {
        Directory.Delete(_sources, recursive: true);
        GC.SuppressFinalize(this);
    }
}

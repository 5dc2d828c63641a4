using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

/// <summary>
/// zstd and lz4 through the system libzstd / liblz4 (the fast path), and the managed fallback
/// (ZstdSharp, K4os) that runs where those libraries are missing: both must write frames every
/// reader accepts and read each other's frames.
/// </summary>
public sealed class NativeZstdLz4Tests
{
    private static readonly WalCodecRegistry Registry = new();

    public static TheoryData<string> Codecs() => ["zstd", "lz4"];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OpenCompressor_with_system_library_present_uses_native_stage(string name)
    {
        RequireNative(name);
        var codec = Registry.Get(name);

        using var output = new MemoryStream();
        using (var compressor = codec.OpenCompressor(output, leaveOpen: true))
        {
            compressor.Should().BeAssignableTo<NativeFilterStream>();
        }

        using var decompressor = codec.OpenDecompressor(new MemoryStream(output.ToArray()));
        decompressor.Should().BeAssignableTo<NativeFilterStream>();
    }

    [Fact]
    public void Compress_empty_input_with_native_zstd_writes_barman_empty_frame()
    {
        RequireNative("zstd");

        var bytes = Compress(Registry.Get("zstd").OpenCompressor, []);

        bytes.Should().Equal(File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/empty.bin.zst")));
    }

    [Fact]
    public void Compress_empty_input_with_either_lz4_path_writes_barman_empty_frame()
    {
        RequireNative("lz4");
        var codec = (Lz4Codec)Registry.Get("lz4");
        var barman = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/empty.bin.lz4"));

        Compress(codec.OpenCompressor, []).Should().Equal(barman);
        Compress(codec.OpenManagedCompressor, []).Should().Equal(barman);
    }

    [Theory]
    [InlineData("1k.bin")]
    [InlineData("random70k.bin")]
    [InlineData("000000010000000000000007.00000028.backup")]
    public void Compress_small_input_with_native_lz4_matches_barman_bytes(string input)
    {
        RequireNative("lz4");
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw", input));

        var bytes = Compress(Registry.Get("lz4").OpenCompressor, raw);

        bytes.Should().Equal(File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny", input + ".lz4")));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Compress_large_input_round_trips_through_own_reader_and_cli(string name)
    {
        RequireNative(name);
        using var temp = new TempDirectory();
        var raw = temp.File("large.raw");
        WriteLargeInput(raw);
        var compressed = temp.File("large.out");
        var codec = Registry.Get(name);

        await CompressFileAsync(codec.OpenCompressor, raw, compressed);

        var expected = CompressionFixtures.Sha256File(raw);
        await using (var plain = codec.OpenDecompressor(File.OpenRead(compressed)))
        {
            CompressionFixtures.Sha256(plain).Should().Be(expected, "barman-wal's reader must restore the input");
        }

        AssertCliRestores(name, compressed, temp, expected);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OpenDecompressor_on_cli_output_of_large_input_restores_it(string name)
    {
        RequireNative(name);
        using var temp = new TempDirectory();
        var raw = temp.File("large.raw");
        WriteLargeInput(raw);
        var compressed = temp.File("large.cli");
        var command = name == "zstd" ? "zstd -q -c -4 -T2" : "lz4 -q -c -6";
        var (exit, stderr) = CompressionFixtures.Shell($"{command} < '{raw}' > '{compressed}'", name);
        exit.Should().Be(0, stderr);

        using var plain = Registry.Get(name).OpenDecompressor(File.OpenRead(compressed));

        CompressionFixtures.Sha256(plain).Should().Be(CompressionFixtures.Sha256File(raw));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Compress_with_managed_fallback_round_trips_through_native_reader_and_cli(string name)
    {
        RequireNative(name);
        using var temp = new TempDirectory();
        var compressed = temp.File("managed.out");
        var (managedCompressor, managedDecompressor) = ManagedPath(name);

        await CompressFileAsync(managedCompressor, CompressionFixtures.RawSegment, compressed);

        var expected = CompressionFixtures.Sha256File(CompressionFixtures.RawSegment);
        await using (var plain = Registry.Get(name).OpenDecompressor(File.OpenRead(compressed)))
        {
            CompressionFixtures.Sha256(plain).Should().Be(expected, "the native reader must read the fallback's frames");
        }

        await using (var plain = managedDecompressor(File.OpenRead(compressed), false))
        {
            CompressionFixtures.Sha256(plain).Should().Be(expected, "the fallback reader must read its own frames");
        }

        AssertCliRestores(name, compressed, temp, expected);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task OpenDecompressor_with_managed_fallback_reads_native_output(string name)
    {
        RequireNative(name);
        using var temp = new TempDirectory();
        var compressed = temp.File("native.out");
        await CompressFileAsync(Registry.Get(name).OpenCompressor, CompressionFixtures.RawSegment, compressed);
        var (_, managedDecompressor) = ManagedPath(name);

        await using var plain = managedDecompressor(File.OpenRead(compressed), false);

        CompressionFixtures.Sha256(plain).Should().Be(CompressionFixtures.Sha256File(CompressionFixtures.RawSegment));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OpenDecompressor_with_managed_fallback_on_truncated_input_throws_one_line_error(string name)
    {
        var file = name == "zstd" ? "tiny/random70k.bin.zst" : "tiny/random70k.bin.lz4";
        var bytes = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, file));
        var (_, managedDecompressor) = ManagedPath(name);

        Action act = () => managedDecompressor(new MemoryStream(bytes[..(bytes.Length / 2)]), false).CopyTo(Stream.Null);

        act.Should().Throw<CompressionException>().Which.Message.Should().StartWith($"{name} decompression failed").And.NotContain("\n");
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OpenDecompressor_on_two_concatenated_frames_returns_both(string name)
    {
        RequireNative(name);
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"));
        var frame = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny", "1k.bin." + (name == "zstd" ? "zst" : "lz4")));

        using var plain = Registry.Get(name).OpenDecompressor(new MemoryStream([.. frame, .. frame]));
        using var output = new MemoryStream();
        plain.CopyTo(output);

        output.ToArray().Should().Equal([.. raw, .. raw]);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OpenDecompressor_with_garbage_after_frame_throws_one_line_error(string name)
    {
        RequireNative(name);
        var frame = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny", "1k.bin." + (name == "zstd" ? "zst" : "lz4")));

        Action act = () => Registry.Get(name).OpenDecompressor(new MemoryStream([.. frame, .. "garbage!"u8.ToArray()])).CopyTo(Stream.Null);

        act.Should().Throw<CompressionException>().Which.Message.Should().StartWith($"{name} decompression failed").And.NotContain("\n");
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OpenDecompressor_on_empty_source_returns_nothing(string name)
    {
        RequireNative(name);

        using var plain = Registry.Get(name).OpenDecompressor(new MemoryStream());

        plain.ReadByte().Should().Be(-1);
    }

    [Fact]
    public void Compress_with_reused_zstd_contexts_applies_each_level_afresh()
    {
        RequireNative("zstd");
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"));
        var low = Registry.Get("zstd", WalCompressionLevel.FromInteger(1));
        var high = Registry.Get("zstd", WalCompressionLevel.FromInteger(19));

        var first = Compress(low.OpenCompressor, raw);
        var other = Compress(high.OpenCompressor, raw);
        var again = Compress(low.OpenCompressor, raw);

        again.Should().Equal(first, "a context reused after another level must compress as a fresh one");
        other.Should().NotEqual(first);
        Decompress(high, other).Should().Equal(raw);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OpenDecompressor_after_abandoned_read_decodes_next_file_whole(string name)
    {
        RequireNative(name);
        var codec = Registry.Get(name);
        var compressed = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "segment", Path.GetFileName(CompressionFixtures.RawSegment) + (name == "zstd" ? ".zst" : ".lz4")));
        using (var abandoned = codec.OpenDecompressor(new MemoryStream(compressed)))
        {
            abandoned.ReadExactly(new byte[1000]);
        }

        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"));
        var frame = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny", "1k.bin." + (name == "zstd" ? "zst" : "lz4")));

        Decompress(codec, frame).Should().Equal(raw);
    }

    private static byte[] Decompress(WalCodec codec, byte[] compressed)
    {
        using var plain = codec.OpenDecompressor(new MemoryStream(compressed));
        using var output = new MemoryStream();
        plain.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The fallback's compressor and decompressor of one codec.</summary>
    private static (Func<Stream, bool, Stream> Compressor, Func<Stream, bool, Stream> Decompressor) ManagedPath(string name) =>
        Registry.Get(name) switch
        {
            ZstdCodec zstd => (zstd.OpenManagedCompressor, zstd.OpenManagedDecompressor),
            Lz4Codec lz4 => (lz4.OpenManagedCompressor, lz4.OpenManagedDecompressor),
            var other => throw new InvalidOperationException(other.Name),
        };

    /// <summary>Fails with one line naming the Debian package when the system library is missing.</summary>
    private static void RequireNative(string name)
    {
        var reason = name == "zstd" ? LibZstd.UnavailableReason : LibLz4.UnavailableReason;
        reason.Should().BeNull($"the native {name} path needs its library: apt-get install -y {(name == "zstd" ? "libzstd1" : "liblz4-1")}");
    }

    /// <summary>About 50 MiB: the WAL segment three times and 2 MiB of incompressible bytes in between.</summary>
    private static void WriteLargeInput(string path)
    {
        var segment = File.ReadAllBytes(CompressionFixtures.RawSegment);
        var noise = new byte[2 * 1024 * 1024];
        new Random(5).NextBytes(noise);
        using var file = File.Create(path);
        file.Write(segment);
        file.Write(noise);
        file.Write(segment);
        file.Write(noise);
        file.Write(segment);
    }

    private static void AssertCliRestores(string name, string compressed, TempDirectory temp, string expected)
    {
        var output = temp.File("cli.out");
        var (exit, stderr) = CompressionFixtures.Shell($"{name} -dcq < '{compressed}' > '{output}'", name);
        exit.Should().Be(0, stderr);
        CompressionFixtures.Sha256File(output).Should().Be(expected, $"{name} -d must restore the input");
    }

    private static byte[] Compress(Func<Stream, bool, Stream> open, byte[] raw)
    {
        using var output = new MemoryStream();
        using (var stage = open(output, true))
        {
            stage.Write(raw);
        }

        return output.ToArray();
    }

    private static async Task CompressFileAsync(Func<Stream, bool, Stream> open, string raw, string compressed)
    {
        await using var source = new FileStream(raw, FileMode.Open, FileAccess.Read, FileShare.Read, WalCodec.BufferSize);
        await using var destination = new FileStream(compressed, FileMode.CreateNew, FileAccess.Write, FileShare.None, WalCodec.BufferSize);
        await using (var stage = open(destination, true))
        {
            await source.CopyToAsync(stage, WalCodec.BufferSize);
        }
    }
}

using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

public sealed class RoundTripTests
{
    private static readonly WalCodecRegistry Registry = new(new CustomCompressionOptions("gzip -c -1", "gzip -dc", null));

    /// <summary>The CLI that must read each codec's output (null: none; snappy has no Debian CLI).</summary>
    private static readonly Dictionary<string, (string Tool, string Command)?> Cli = new()
    {
        ["gzip"] = ("gzip", "gzip -dc"),
        ["pygzip"] = ("gzip", "gzip -dc"),
        ["pigz"] = ("gzip", "gzip -dc"),
        ["custom"] = ("gzip", "gzip -dc"),
        ["bzip2"] = ("bzip2", "bzip2 -dc"),
        ["pybzip2"] = ("bzip2", "bzip2 -dc"),
        ["xz"] = ("xz", "xz -dc"),
        ["zstd"] = ("zstd", "zstd -dcq"),
        ["lz4"] = ("lz4", "lz4 -dcq"),
        ["snappy"] = null,
    };

    /// <summary>Output of Barman's library at the default level for the 16 MiB segment.</summary>
    private static readonly Dictionary<string, string> BarmanSegment = new()
    {
        ["gzip"] = "000000010000000000000004.gz",
        ["pigz"] = "000000010000000000000004.pigz.gz",
        ["bzip2"] = "000000010000000000000004.bz2",
        ["pybzip2"] = "000000010000000000000004.bz2",
        ["pygzip"] = "000000010000000000000004.gz",
        ["xz"] = "000000010000000000000004.xz",
        ["zstd"] = "000000010000000000000004.zst",
        ["lz4"] = "000000010000000000000004.lz4",
        ["snappy"] = "000000010000000000000004.snappy",
    };

    public static TheoryData<string> Names() => [.. WalCodecRegistry.ConfigNames];

    public static TheoryData<string, string> NamesAndTinyInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in WalCodecRegistry.ConfigNames)
        {
            foreach (var input in CompressionFixtures.TinyInputs)
            {
                data.Add(name, input);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NamesAndTinyInputs))]
    public async Task Compress_tiny_input_round_trips_through_own_reader_and_cli(string name, string input)
    {
        using var temp = new TempDirectory();
        var raw = Path.Combine(CompressionFixtures.Root, "tiny", "raw", input);
        var compressed = temp.File("out");
        var codec = Registry.Get(name);

        await CompressFileAsync(codec, raw, compressed);

        await AssertReadableAsync(codec, raw, compressed, temp);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Compress_wal_segment_round_trips_and_matches_barman_size(string name)
    {
        using var temp = new TempDirectory();
        var compressed = temp.File("out");
        var codec = Registry.Get(name);

        await CompressFileAsync(codec, CompressionFixtures.RawSegment, compressed);

        await AssertReadableAsync(codec, CompressionFixtures.RawSegment, compressed, temp);
        if (BarmanSegment.TryGetValue(name, out var reference))
        {
            var expected = new FileInfo(Path.Combine(CompressionFixtures.Root, "segment", reference)).Length;
            new FileInfo(compressed).Length.Should().BeInRange((long)(expected * 0.95), (long)(expected * 1.05), $"{name} at the default level");
        }
    }

    [Fact]
    public void Compress_empty_input_with_sync_dispose_writes_empty_gzip_member()
    {
        using var output = new MemoryStream();
        using (Registry.Get("gzip").OpenCompressor(output, leaveOpen: true))
        {
        }

        output.ToArray().Should().Equal(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Compress_empty_input_with_snappy_writes_nothing_like_barman()
    {
        using var output = new MemoryStream();
        using (Registry.Get("snappy").OpenCompressor(output, leaveOpen: true))
        {
        }

        output.Length.Should().Be(0);
    }

    [Fact]
    public void Compress_small_input_with_snappy_matches_barman_bytes()
    {
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/random70k.bin"));
        using var output = new MemoryStream();
        using (var stage = Registry.Get("snappy").OpenCompressor(output, leaveOpen: true))
        {
            stage.Write(raw);
        }

        output.ToArray().Should().Equal(File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/random70k.bin.snappy")));
    }

    [Fact]
    public void Compress_with_xz_default_level_writes_barman_headers_with_a_256_KiB_dictionary()
    {
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"));
        var barman = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/1k.bin.xz"));
        var ours = XzCompress(Registry.Get("xz"), raw);

        // Stream header (magic, CRC64 flag), block header size and flags, filter id LZMA2: as Barman's.
        ours[..XzDictionaryByte].Should().Equal(barman[..XzDictionaryByte]);
        barman[XzDictionaryByte].Should().Be(0x14, "Barman's preset 3 records a 4 MiB dictionary");
        ours[XzDictionaryByte].Should().Be(0x0c, "barman-wal caps presets up to 3 at a 256 KiB dictionary");
        using var plain = new MemoryStream();
        using (var reader = Registry.Get("xz").OpenDecompressor(new MemoryStream(ours)))
        {
            reader.CopyTo(plain);
        }

        plain.ToArray().Should().Equal(raw);
    }

    [Fact]
    public void Compress_with_xz_high_level_keeps_the_preset_dictionary()
    {
        var ours = XzCompress(Registry.Get("xz", WalCompressionLevel.High), new byte[4096]);

        ours[XzDictionaryByte].Should().Be(0x16, "preset 5 records its own 8 MiB dictionary");
    }

    /// <summary>Offset of the LZMA2 dictionary-size byte in a one-filter .xz file.</summary>
    private const int XzDictionaryByte = 16;

    private static byte[] XzCompress(WalCodec codec, byte[] raw)
    {
        using var output = new MemoryStream();
        using (var stage = codec.OpenCompressor(output, leaveOpen: true))
        {
            stage.Write(raw);
        }

        return output.ToArray();
    }

    [Fact]
    public void Compress_with_lz4_writes_barman_frame_header()
    {
        using var output = new MemoryStream();
        using (var stage = Registry.Get("lz4").OpenCompressor(output, leaveOpen: true))
        {
            stage.Write(new byte[1000]);
        }

        output.ToArray()[..7].Should().Equal(0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0xc0);
    }

    private static async Task CompressFileAsync(WalCodec codec, string raw, string compressed)
    {
        await using var source = new FileStream(raw, FileMode.Open, FileAccess.Read, FileShare.Read, WalCodec.BufferSize);
        await using var destination = new FileStream(compressed, FileMode.CreateNew, FileAccess.Write, FileShare.None, WalCodec.BufferSize);
        await using (var stage = codec.OpenCompressor(destination, leaveOpen: true))
        {
            await source.CopyToAsync(stage, WalCodec.BufferSize);
        }
    }

    private static async Task AssertReadableAsync(WalCodec codec, string raw, string compressed, TempDirectory temp)
    {
        var expected = CompressionFixtures.Sha256File(raw);
        var rawLength = new FileInfo(raw).Length;
        var emptySnappy = codec.Name == "snappy" && rawLength == 0;
        var header = File.ReadAllBytes(compressed).AsSpan(0, (int)Math.Min(new FileInfo(compressed).Length, Registry.HeaderLength)).ToArray();
        var detected = Registry.Detect(header);
        var expectedName = codec.Name switch
        {
            "pygzip" or "pigz" or "custom" => "gzip", // the custom filter here is gzip, no custom magic
            "pybzip2" => "bzip2",
            _ => codec.Name,
        };
        detected.Should().Be(emptySnappy ? null : expectedName);

        await using (var plain = Registry.OpenDecompressedFile(compressed, codec.Name))
        {
            CompressionFixtures.Sha256(plain).Should().Be(expected, "barman-wal's reader must restore the input");
        }

        if (Cli[codec.Name] is { } cli && !emptySnappy)
        {
            var output = temp.File("cli.out");
            var (exit, stderr) = CompressionFixtures.Shell($"{cli.Command} < '{compressed}' > '{output}'", cli.Tool);
            exit.Should().Be(0, stderr);
            CompressionFixtures.Sha256File(output).Should().Be(expected, $"{cli.Command} must restore the input");
        }
    }
}

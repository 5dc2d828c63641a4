using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

public sealed class DetectionTests
{
    private static readonly WalCodecRegistry Registry = new();

    private static byte[] Header(string relative)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, relative));
        return bytes[..Math.Min(bytes.Length, Registry.HeaderLength)];
    }

    [Theory]
    [InlineData("segment/000000010000000000000004.gz", "gzip")]
    [InlineData("segment/000000010000000000000004.inmem.gz", "gzip")]
    [InlineData("segment/000000010000000000000004.gzipcmd.gz", "gzip")]
    [InlineData("segment/000000010000000000000004.pigz.gz", "gzip")]
    [InlineData("segment/000000010000000000000004.bz2", "bzip2")]
    [InlineData("segment/000000010000000000000004.xz", "xz")]
    [InlineData("segment/000000010000000000000004.snappy", "snappy")]
    [InlineData("segment/000000010000000000000004.lz4", "lz4")]
    [InlineData("segment/000000010000000000000004.inmem.lz4", "lz4")]
    [InlineData("segment/000000010000000000000004.zst", "zstd")]
    [InlineData("tiny/empty.bin.zst", "zstd")]
    [InlineData("tiny/empty.bin.lz4", "lz4")]
    [InlineData("tiny/empty.bin.snappy", null)]
    [InlineData("tiny/random70k.bin.snappy", "snappy")]
    [InlineData("raw/000000010000000000000004", null)]
    [InlineData("raw/00000002.history", null)]
    [InlineData("tiny/raw/empty.bin", null)]
    public void Detect_on_fixture_returns_barman_name(string file, string? expected)
    {
        Registry.Detect(Header(file)).Should().Be(expected);
    }

    [Fact]
    public void Detect_on_every_compressed_fixture_names_its_codec()
    {
        foreach (var (file, codec) in CompressionFixtures.Compressed().Where(f => !f.File.EndsWith("empty.bin.snappy", StringComparison.Ordinal)))
        {
            Registry.Detect(Header(file)).Should().Be(codec, file);
        }
    }

    [Fact]
    public void Detect_with_custom_magic_beats_gzip_but_not_bzip2()
    {
        var registry = new WalCodecRegistry(new CustomCompressionOptions("gzip -c", "gzip -dc", "0x1f8b"));

        registry.Detect(Header("segment/000000010000000000000004.gz")).Should().Be("custom");
        registry.Detect(Header("segment/000000010000000000000004.bz2")).Should().Be("bzip2");
        registry.Detect(Header("segment/000000010000000000000004.xz")).Should().Be("xz");
    }

    [Fact]
    public void Detect_with_custom_magic_longer_than_snappy_reads_more_bytes()
    {
        var registry = new WalCodecRegistry(new CustomCompressionOptions(null, null, "0x0102030405060708090a0b0c"));

        registry.HeaderLength.Should().Be(12);
        registry.Detect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]).Should().Be("custom");
        registry.Detect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).Should().BeNull();
    }

    [Fact]
    public void Detect_with_empty_custom_magic_never_matches_custom()
    {
        var registry = new WalCodecRegistry(new CustomCompressionOptions(null, null, "0x"));

        registry.Detect([0x00, 0x01], assumeCustomWhenUnrecognised: true).Should().BeNull();
        registry.Detect(Header("segment/000000010000000000000004.gz")).Should().Be("gzip");
    }

    [Fact]
    public void Detect_unrecognised_stored_file_without_custom_magic_is_custom_only_when_asked()
    {
        Registry.Detect("plain"u8, assumeCustomWhenUnrecognised: true).Should().Be("custom");
        Registry.Detect("plain"u8).Should().BeNull();
    }

    [Fact]
    public void Registry_with_non_hex_custom_magic_throws_one_line_error()
    {
        var act = () => new WalCodecRegistry(new CustomCompressionOptions(null, null, "0xzz"));

        act.Should().Throw<CompressionException>().WithMessage("Invalid custom_compression_magic '0xzz'*");
    }

    [Fact]
    public async Task DetectAsync_on_seekable_stream_restores_position()
    {
        await using var stream = File.OpenRead(Path.Combine(CompressionFixtures.Root, "tiny/1k.bin.xz"));

        (await Registry.DetectAsync(stream)).Should().Be("xz");
        stream.Position.Should().Be(0);
    }
}

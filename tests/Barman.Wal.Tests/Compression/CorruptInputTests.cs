using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

public sealed class CorruptInputTests
{
    private static readonly WalCodecRegistry Registry = new(new CustomCompressionOptions("gzip -c", "gzip -dc", null));

    public static TheoryData<string, string> Fixtures() => new()
    {
        { "gzip", "tiny/random70k.bin.gz" },
        { "bzip2", "tiny/random70k.bin.bz2" },
        { "xz", "tiny/random70k.bin.xz" },
        { "zstd", "tiny/random70k.bin.zst" },
        { "lz4", "tiny/random70k.bin.lz4" },
        { "snappy", "tiny/random70k.bin.snappy" },
        { "pigz", "tiny/random70k.bin.pigz.gz" },
        { "custom", "tiny/random70k.bin.gz" },
    };

    public static TheoryData<string, string> ChecksummedFixtures() => new()
    {
        { "gzip", "tiny/1k.bin.gz" },
        { "bzip2", "tiny/1k.bin.bz2" },
        { "xz", "tiny/1k.bin.xz" },
        { "snappy", "tiny/1k.bin.snappy" },
        { "pigz", "tiny/1k.bin.gz" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void OpenDecompressor_on_truncated_file_throws_one_line_error(string codec, string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, file));

        Action act = () => Drain(Registry.Get(codec), bytes[..(bytes.Length / 2)]);

        AssertOneLine(act, codec);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void OpenDecompressor_on_bad_magic_throws_one_line_error(string codec, string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, file));
        bytes[0] ^= 0xff;
        bytes[1] ^= 0xff;

        Action act = () => Drain(Registry.Get(codec), bytes);

        AssertOneLine(act, codec);
    }

    [Theory]
    [MemberData(nameof(ChecksummedFixtures))]
    public void OpenDecompressor_on_crc_error_throws_one_line_error(string codec, string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, file));
        var (offset, _) = codec switch
        {
            "gzip" or "pigz" => (bytes.Length - 8, 0), // CRC-32 of the trailer
            "xz" => (bytes.Length - 40, 0),            // inside the CRC64 check field area
            "bzip2" => (bytes.Length - 6, 0),          // combined stream CRC
            _ => (10 + 4, 0),                          // masked CRC-32C of the first chunk
        };
        bytes[offset] ^= 0x01;

        Action act = () => Drain(Registry.Get(codec), bytes);

        AssertOneLine(act, codec);
    }

    [Fact]
    public void OpenDecompressor_on_empty_gzip_file_throws_truncated()
    {
        Action act = () => Drain(Registry.Get("gzip"), []);

        act.Should().Throw<CompressionException>().WithMessage("gzip decompression failed: unexpected end of input*");
    }

    [Fact]
    public void OpenDecompressor_with_garbage_after_gzip_member_throws()
    {
        var bytes = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/1k.bin.gz")).Concat("garbage"u8.ToArray()).ToArray();

        Action act = () => Drain(Registry.Get("gzip"), bytes);

        act.Should().Throw<CompressionException>().WithMessage("gzip decompression failed*");
    }

    [Fact]
    public void OpenDecompressor_on_two_gzip_members_returns_both()
    {
        var member = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/1k.bin.gz"));
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"));

        Drain(Registry.Get("gzip"), [.. member, .. member]).Should().Equal([.. raw, .. raw]);
    }

    private static byte[] Drain(WalCodec codec, byte[] compressed)
    {
        using var plain = codec.OpenDecompressor(new MemoryStream(compressed));
        using var output = new MemoryStream();
        plain.CopyTo(output);
        return output.ToArray();
    }

    private static void AssertOneLine(Action act, string codec)
    {
        var error = act.Should().Throw<CompressionException>().Which;
        error.Message.Should().Contain(codec).And.NotContain("\n");
        error.ExitCode.Should().Be(1);
    }
}

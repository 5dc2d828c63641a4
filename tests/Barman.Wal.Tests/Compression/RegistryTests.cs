using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

public sealed class RegistryTests
{
    private static readonly WalCodecRegistry Registry = new();

    [Theory]
    [InlineData("gzip", ".gz", false)]
    [InlineData("pygzip", ".gz", false)]
    [InlineData("bzip2", ".bz2", false)]
    [InlineData("pybzip2", ".bz2", false)]
    [InlineData("xz", ".xz", false)]
    [InlineData("zstd", ".zst", false)]
    [InlineData("lz4", ".lz4", false)]
    [InlineData("snappy", ".snappy", false)]
    [InlineData("pigz", null, true)]
    [InlineData("custom", null, true)]
    public void Get_returns_codec_with_barman_name_and_extension(string name, string? extension, bool external)
    {
        var codec = Registry.Get(name.ToUpperInvariant());

        codec.Name.Should().Be(name);
        codec.FileExtension.Should().Be(extension);
        codec.IsExternal.Should().Be(external);
        codec.SupportsCloud.Should().Be(!external);
        if (extension is not null)
        {
            WalCodecRegistry.FromFileExtension("000000010000000000000001" + extension).Should().Be(name switch { "pygzip" => "gzip", "pybzip2" => "bzip2", _ => name });
        }
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gz")]
    [InlineData("")]
    public void Get_with_unknown_name_throws_one_line_error_naming_value(string name)
    {
        var act = () => Registry.Get(name);

        act.Should().Throw<UnknownCompressionException>()
            .WithMessage($"Unknown compression '{name}' (must be one in: gzip, bzip2, pygzip, pybzip2, pigz, xz, zstd, lz4, snappy, custom)");
    }

    [Theory]
    [InlineData("gzip", "low", 1)]
    [InlineData("gzip", "medium", 6)]
    [InlineData("gzip", "HIGH", 9)]
    [InlineData("bzip2", "medium", 5)]
    [InlineData("xz", "medium", 3)]
    [InlineData("xz", "high", 5)]
    [InlineData("zstd", "medium", 4)]
    [InlineData("zstd", "-5", -5)]
    [InlineData("lz4", "low", 0)]
    [InlineData("lz4", "high", 10)]
    [InlineData("pigz", "7", 7)]
    public void Get_with_level_uses_barman_mapping(string name, string level, int expected)
    {
        WalCompressionLevel.TryParse(level, out var parsed).Should().BeTrue();

        var codec = Registry.Get(name, parsed);

        codec.Level.Should().Be(expected);
        codec.LevelClamped.Should().BeFalse();
    }

    [Theory]
    [InlineData("gzip", "0", 1)]
    [InlineData("gzip", "12", 9)]
    [InlineData("zstd", "-40", -22)]
    [InlineData("lz4", "99", 16)]
    [InlineData("xz", "10", 9)]
    public void Get_with_out_of_range_level_clamps(string name, string level, int expected)
    {
        WalCompressionLevel.TryParse(level, out var parsed).Should().BeTrue();

        var codec = Registry.Get(name, parsed);

        codec.Level.Should().Be(expected);
        codec.LevelClamped.Should().BeTrue();
    }

    [Theory]
    [InlineData("+5")]
    [InlineData("5 ")]
    [InlineData("maximum")]
    [InlineData("")]
    [InlineData("-")]
    public void TryParse_with_invalid_level_returns_false(string text)
    {
        WalCompressionLevel.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Snappy_and_custom_have_no_level()
    {
        Registry.Get("snappy", WalCompressionLevel.High).Level.Should().BeNull();
        Registry.Get("custom").Level.Should().BeNull();
    }

    [Fact]
    public void Compress_at_low_and_high_levels_round_trips_for_every_codec()
    {
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"));
        foreach (var level in new[] { WalCompressionLevel.Low, WalCompressionLevel.High, WalCompressionLevel.FromInteger(-3) })
        {
            foreach (var codec in new WalCodecRegistry(new CustomCompressionOptions("cat", "cat", null)).All(level))
            {
                using var compressed = new MemoryStream();
                using (var stage = codec.OpenCompressor(compressed, leaveOpen: true))
                {
                    stage.Write(raw);
                }

                compressed.Position = 0;
                using var plain = codec.OpenDecompressor(compressed);
                using var output = new MemoryStream();
                plain.CopyTo(output);
                output.ToArray().Should().Equal(raw, $"{codec} at {level}");
            }
        }
    }
}

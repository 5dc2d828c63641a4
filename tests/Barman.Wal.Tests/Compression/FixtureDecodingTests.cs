using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

public sealed class FixtureDecodingTests
{
    private static readonly WalCodecRegistry Registry = new();

    public static TheoryData<string, string> CompressedFixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, codec) in CompressionFixtures.Compressed())
        {
            data.Add(file, codec);
        }

        return data;
    }

    [Fact]
    public void Fixtures_are_copied_into_the_test_output_intact()
    {
        CompressionFixtures.Sums.Should().HaveCountGreaterThan(50);
        foreach (var (relative, sum) in CompressionFixtures.Sums)
        {
            CompressionFixtures.Sha256File(Path.Combine(CompressionFixtures.Root, relative)).Should().Be(sum, relative);
        }
    }

    [Theory]
    [MemberData(nameof(CompressedFixtures))]
    public void OpenDecompressor_on_barman_fixture_returns_the_raw_bytes(string file, string codec)
    {
        using var source = File.OpenRead(Path.Combine(CompressionFixtures.Root, file));
        using var plain = Registry.Get(codec).OpenDecompressor(source);

        CompressionFixtures.Sha256(plain).Should().Be(CompressionFixtures.Sums[CompressionFixtures.RawFor(file)]);
    }

    [Theory]
    [MemberData(nameof(CompressedFixtures))]
    public async Task OpenDecompressedFile_with_detected_name_returns_the_raw_bytes(string file, string codec)
    {
        var path = Path.Combine(CompressionFixtures.Root, file);
        var detected = await Registry.DetectFileAsync(path);
        detected.Should().Be(file.EndsWith("empty.bin.snappy", StringComparison.Ordinal) ? null : codec);

        await using var plain = Registry.OpenDecompressedFile(path, detected);
        CompressionFixtures.Sha256(plain).Should().Be(CompressionFixtures.Sums[CompressionFixtures.RawFor(file)]);
    }

    [Theory]
    [InlineData("segment/000000010000000000000004.pigz.gz")]
    [InlineData("tiny/1k.bin.gz")]
    [InlineData("tiny/empty.bin.pigz.gz")]
    public void Pigz_decompressor_reads_gzip_fixtures(string file)
    {
        using var source = File.OpenRead(Path.Combine(CompressionFixtures.Root, file));
        using var plain = Registry.Get("pigz").OpenDecompressor(source);

        CompressionFixtures.Sha256(plain).Should().Be(CompressionFixtures.Sums[CompressionFixtures.RawFor(file)]);
    }
}

using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

public sealed class StreamComparerTests
{
    private static readonly WalCodecRegistry Registry = new();

    [Fact]
    public async Task FilesEqualAsync_with_gzip_and_zstd_forms_of_same_segment_returns_true()
    {
        var segment = Path.Combine(CompressionFixtures.Root, "segment");

        var equal = await WalStreamComparer.FilesEqualAsync(
            Registry, Path.Combine(segment, "000000010000000000000004.gz"), "gzip",
            Path.Combine(segment, "000000010000000000000004.zst"), "zstd");

        equal.Should().BeTrue();
    }

    [Fact]
    public async Task FilesEqualAsync_with_plain_and_compressed_differing_files_returns_false()
    {
        var equal = await WalStreamComparer.FilesEqualAsync(
            Registry, Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"), null,
            Path.Combine(CompressionFixtures.Root, "tiny/random70k.bin.xz"), "xz");

        equal.Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(200_000, 200_000, true)]
    [InlineData(200_000, 199_999, false)]
    [InlineData(0, 1, false)]
    public async Task ContentEqualsAsync_compares_lengths_and_bytes(int firstLength, int secondLength, bool expected)
    {
        var data = new byte[Math.Max(firstLength, secondLength)];
        new Random(7).NextBytes(data);

        var equal = await WalStreamComparer.ContentEqualsAsync(
            new MemoryStream(data, 0, firstLength), new MemoryStream(data, 0, secondLength));

        equal.Should().Be(expected);
    }

    [Fact]
    public async Task ContentEqualsAsync_with_one_byte_changed_returns_false()
    {
        var a = new byte[300_000];
        var b = new byte[300_000];
        b[250_000] = 1;

        (await WalStreamComparer.ContentEqualsAsync(new MemoryStream(a), new MemoryStream(b))).Should().BeFalse();
    }
}

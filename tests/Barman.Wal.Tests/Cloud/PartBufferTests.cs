using Barman.Wal.Storage.Cloud;

namespace Barman.Wal.Tests.Cloud;

/// <summary>The pooled upload body: block boundaries, the part limit and rewinding for a retry.</summary>
public sealed class PartBufferTests
{
    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task FillAsync_across_blocks_reads_back_the_same_bytes_after_rewind()
    {
        var source = Bytes((2 * PartBuffer.BlockSize) + 12345);

        await using var buffer = await PartBuffer.FillAsync(new MemoryStream(source), long.MaxValue, CancellationToken.None);
        using var first = new MemoryStream();
        await buffer.CopyToAsync(first);
        buffer.Position = 0;
        using var second = new MemoryStream();
        await buffer.CopyToAsync(second, 4099);

        buffer.Length.Should().Be(source.Length);
        first.ToArray().Should().Equal(source);
        second.ToArray().Should().Equal(source);
    }

    [Fact]
    public async Task FillAsync_stops_at_the_limit_and_leaves_the_rest_for_the_next_part()
    {
        var source = new MemoryStream(Bytes(PartBuffer.BlockSize + 100));
        var limit = PartBuffer.BlockSize + 10;

        await using var part = await PartBuffer.FillAsync(source, limit, CancellationToken.None);
        await using var rest = await PartBuffer.FillAsync(source, limit, CancellationToken.None);
        await using var end = await PartBuffer.FillAsync(source, limit, CancellationToken.None);

        part.Length.Should().Be(limit);
        rest.Length.Should().Be(90);
        end.Length.Should().Be(0);
        rest.Seek(-10, SeekOrigin.End).Should().Be(80);
        var tail = new byte[20];
        rest.Read(tail, 0, tail.Length).Should().Be(10);
        tail.AsSpan(0, 10).ToArray().Should().Equal(source.ToArray().AsSpan(source.ToArray().Length - 10).ToArray());
    }
}

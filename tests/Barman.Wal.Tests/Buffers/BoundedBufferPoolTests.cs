using Barman.Wal.Buffers;
using FluentAssertions;
using Xunit;

namespace Barman.Wal.Tests.Buffers;

public sealed class BoundedBufferPoolTests
{
    [Fact]
    public void Rent_reuses_a_returned_array()
    {
        var pool = new BoundedBufferPool(1024, 2);
        var first = pool.Rent();
        pool.Return(first);

        pool.Rent().Should().BeSameAs(first);
    }

    [Fact]
    public void Return_keeps_at_most_max_idle_arrays()
    {
        var pool = new BoundedBufferPool(1024, 2);
        var rented = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        rented.Should().OnlyHaveUniqueItems().And.AllSatisfy(a => a.Length.Should().Be(1024));

        rented.ForEach(pool.Return);

        pool.IdleCount.Should().Be(2);
    }

    [Fact]
    public void Return_refuses_an_array_of_another_size()
    {
        var pool = new BoundedBufferPool(1024, 2);

        var act = () => pool.Return(new byte[512]);

        act.Should().Throw<ArgumentException>().WithMessage("array of 512 bytes returned to a pool of 1024-byte arrays*");
    }

    [Fact]
    public async Task CopyAsync_copies_the_whole_stream_and_gives_its_buffer_back()
    {
        var pool = new BoundedBufferPool(1000, 1);
        var data = Enumerable.Range(0, 10_001).Select(i => (byte)(i * 7)).ToArray();
        using var output = new MemoryStream();

        await pool.CopyAsync(new MemoryStream(data), output);

        output.ToArray().Should().Equal(data);
        pool.IdleCount.Should().Be(1);
    }
}

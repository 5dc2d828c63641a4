using Barman.Wal.Buffers;

namespace Barman.Wal.Storage;

/// <summary>Compares two streams byte for byte without holding either in memory.</summary>
public static class StreamComparer
{
    /// <summary>True when both streams yield the same bytes to their ends.</summary>
    public static async Task<bool> EqualAsync(Stream left, Stream right, CancellationToken cancellationToken = default)
    {
        var pool = BoundedBufferPool.Copy;
        var a = pool.Rent();
        var b = pool.Rent();
        try
        {
            while (true)
            {
                var readA = await left.ReadAtLeastAsync(a, a.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                var readB = await right.ReadAtLeastAsync(b, b.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (readA != readB || !a.AsSpan(0, readA).SequenceEqual(b.AsSpan(0, readB)))
                    return false;
                if (readA < a.Length)
                    return true;
            }
        }
        finally
        {
            pool.Return(a);
            pool.Return(b);
        }
    }
}

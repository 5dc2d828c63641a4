namespace Barman.Wal.Storage;

/// <summary>Compares two streams byte for byte without holding either in memory.</summary>
public static class StreamComparer
{
    /// <summary>True when both streams yield the same bytes to their ends.</summary>
    public static async Task<bool> EqualAsync(Stream left, Stream right, CancellationToken cancellationToken = default)
    {
        const int size = 1 << 16;
        var a = new byte[size];
        var b = new byte[size];
        while (true)
        {
            var readA = await left.ReadAtLeastAsync(a, size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var readB = await right.ReadAtLeastAsync(b, size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (readA != readB || !a.AsSpan(0, readA).SequenceEqual(b.AsSpan(0, readB)))
                return false;
            if (readA < size)
                return true;
        }
    }
}

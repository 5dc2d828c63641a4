using System.Collections.Concurrent;

namespace Barman.Wal.Buffers;

/// <summary>
/// A process-wide pool of equal-sized large arrays that keeps at most a fixed number of idle ones.
/// </summary>
/// <remarks>
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/> caches one array per size in every thread that
/// ever returned one, plus per-core stacks: with the thread pool's workers moving a store pipeline between
/// threads, the arrays kept grow with the number of threads, and peak RSS with them. The store pipeline's
/// buffers (128 KiB copy buffers, 1 MiB deflate chunks and cloud part blocks) come from here instead, so
/// the memory held stays that of the files in flight plus <see cref="MaxIdle"/> arrays, however long the
/// queue.
/// </remarks>
public sealed class BoundedBufferPool
{
    private readonly ConcurrentStack<byte[]> _idle = new();

    /// <summary>Creates a pool of <paramref name="size"/>-byte arrays keeping at most <paramref name="maxIdle"/> idle.</summary>
    public BoundedBufferPool(int size, int maxIdle)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdle);
        Size = size;
        MaxIdle = maxIdle;
    }

    /// <summary>Copy buffers of the store pipeline: <c>128 KiB</c>, the codecs' streaming unit.</summary>
    public static BoundedBufferPool Copy { get; } = new(128 * 1024, 8);

    /// <summary>Whole-block buffers: <c>1 MiB</c> (deflate chunks and their output, cloud part blocks).</summary>
    public static BoundedBufferPool Block { get; } = new(1 << 20, 8);

    /// <summary>The length of every array of this pool.</summary>
    public int Size { get; }

    /// <summary>The most idle arrays kept; arrays returned beyond it are left to the garbage collector.</summary>
    public int MaxIdle { get; }

    /// <summary>The number of idle arrays held now.</summary>
    public int IdleCount => _idle.Count;

    /// <summary>An array of <see cref="Size"/> bytes (contents undefined).</summary>
    public byte[] Rent() => _idle.TryPop(out var array) ? array : GC.AllocateUninitializedArray<byte>(Size);

    /// <summary>Gives an array back; it must have come from <see cref="Rent"/> of this pool.</summary>
    public void Return(byte[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length != Size)
            throw new ArgumentException($"array of {array.Length} bytes returned to a pool of {Size}-byte arrays", nameof(array));
        if (_idle.Count < MaxIdle)
            _idle.Push(array);
    }

    /// <summary>Copies <paramref name="source"/> to its end into <paramref name="destination"/> through one pooled array.</summary>
    public async Task CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken = default)
    {
        var buffer = Rent();
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Return(buffer);
        }
    }
}

using Barman.Wal.Buffers;

namespace Barman.Wal.Storage.Cloud;

/// <summary>
/// One upload body held in memory: a read-only, seekable stream (known length, so the S3 client can sign,
/// rewind and retry it) over fixed-size blocks taken from a process-wide pool and given back on dispose.
/// </summary>
/// <remarks>
/// A transformed payload (compressed, encrypted) has no length until it is produced, so it is buffered,
/// at most one part per upload. Blocks of <see cref="BlockSize"/> bytes are reused across uploads, so
/// archiving many segments allocates no new large arrays and the memory held is the payload's size rounded
/// up to a block, not a doubling <c>MemoryStream</c> capacity per segment.
/// </remarks>
internal sealed class PartBuffer : Stream
{
    /// <summary>The size of each pooled block.</summary>
    internal const int BlockSize = 1 << 20;

    /// <summary>The most idle blocks kept for reuse (64 MiB); more are left to the garbage collector.</summary>
    private const int MaxPooledBlocks = 64;

    private static readonly BoundedBufferPool Pool = new(BlockSize, MaxPooledBlocks);

    private readonly List<byte[]> _blocks = [];
    private long _length;
    private long _position;
    private bool _disposed;

    private PartBuffer()
    {
    }

    /// <summary>Reads <paramref name="source"/> up to <paramref name="limit"/> bytes (fewer only at its end).</summary>
    internal static async Task<PartBuffer> FillAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        var buffer = new PartBuffer();
        try
        {
            while (buffer._length < limit)
            {
                var offset = (int)(buffer._length % BlockSize);
                if (offset == 0)
                    buffer._blocks.Add(Rent());
                var block = buffer._blocks[^1];
                var wanted = (int)Math.Min(BlockSize - offset, limit - buffer._length);
                var n = await source.ReadAsync(block.AsMemory(offset, wanted), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    break;
                buffer._length += n;
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => !_disposed;

    public override bool CanWrite => false;

    public override long Length
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _length;
        }
    }

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var total = 0;
        while (buffer.Length > 0 && _position < _length)
        {
            var block = _blocks[(int)(_position / BlockSize)];
            var offset = (int)(_position % BlockSize);
            var n = (int)Math.Min(Math.Min(BlockSize - offset, _length - _position), buffer.Length);
            block.AsSpan(offset, n).CopyTo(buffer);
            buffer = buffer[n..];
            _position += n;
            total += n;
        }

        return total;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<int>(cancellationToken)
            : Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<int>(cancellationToken)
            : ValueTask.FromResult(Read(buffer.Span));

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (var block in _blocks)
            {
                Pool.Return(block);
            }

            _blocks.Clear();
        }

        base.Dispose(disposing);
    }

    private static byte[] Rent() => Pool.Rent();
}

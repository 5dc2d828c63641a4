using Barman.Wal.Buffers;

namespace Barman.Wal.Compression;

/// <summary>
/// Base of the stages backed by a native streaming library (liblzma, zlib): a write-only compressor
/// or a read-only decompressor that feeds the library fixed-size buffers, never the whole file.
/// </summary>
internal abstract class NativeFilterStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly bool _compress;
    private readonly byte[] _buffer = BoundedBufferPool.Copy.Rent();
    private int _inStart;
    private int _inEnd;
    private bool _sourceEnded;
    private bool _finished;
    private bool _disposed;

    protected NativeFilterStream(Stream inner, bool leaveOpen, bool compress, string codecName)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _compress = compress;
        CodecName = codecName;
    }

    protected string CodecName { get; }

    public override bool CanRead => !_compress && !_disposed;

    public override bool CanWrite => _compress && !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Runs the library once: consumes from <paramref name="input"/>, produces into
    /// <paramref name="output"/>; returns true when the library reports the end of the stream.
    /// </summary>
    protected abstract bool Step(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced);

    /// <summary>Called when a decoder reached the end of one stream while more input may follow.</summary>
    /// <returns>True when decoding continues with a next member (the library was reset).</returns>
    protected virtual bool TryContinueAfterEnd(ReadOnlySpan<byte> remaining) => false;

    protected abstract void ReleaseNative();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureWritable();
        while (!buffer.IsEmpty)
        {
            Step(buffer, _buffer, finish: false, out var consumed, out var produced);
            buffer = buffer[consumed..];
            if (produced > 0)
            {
                _inner.Write(_buffer, 0, produced);
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        while (!buffer.IsEmpty)
        {
            Step(buffer.Span, _buffer, finish: false, out var consumed, out var produced);
            buffer = buffer[consumed..];
            if (produced > 0)
            {
                await _inner.WriteAsync(_buffer.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        EnsureReadable();
        while (true)
        {
            if (_finished || buffer.IsEmpty)
            {
                return 0;
            }

            if (_inStart == _inEnd && !_sourceEnded)
            {
                _inStart = 0;
                _inEnd = _inner.Read(_buffer, 0, _buffer.Length);
                _sourceEnded = _inEnd == 0;
            }

            if (DecodeOnce(buffer, out var produced))
            {
                return produced;
            }
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureReadable();
        while (true)
        {
            if (_finished || buffer.IsEmpty)
            {
                return 0;
            }

            if (_inStart == _inEnd && !_sourceEnded)
            {
                _inStart = 0;
                _inEnd = await _inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                _sourceEnded = _inEnd == 0;
            }

            if (DecodeOnce(buffer.Span, out var produced))
            {
                return produced;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>One library call; true when the caller should return <paramref name="produced"/>.</summary>
    private bool DecodeOnce(Span<byte> output, out int produced)
    {
        var input = _buffer.AsSpan(_inStart, _inEnd - _inStart);
        var ended = Step(input, output, _sourceEnded, out var consumed, out produced);
        _inStart += consumed;
        if (ended)
        {
            var remaining = _buffer.AsSpan(_inStart, _inEnd - _inStart);
            if (remaining.IsEmpty && !_sourceEnded)
            {
                _inStart = 0;
                _inEnd = _inner.Read(_buffer, 0, _buffer.Length);
                _sourceEnded = _inEnd == 0;
                remaining = _buffer.AsSpan(0, _inEnd);
            }

            if (remaining.IsEmpty || !TryContinueAfterEnd(remaining))
            {
                if (!remaining.IsEmpty)
                {
                    throw CompressionException.CorruptInput($"{CodecName} decompression failed: unexpected data after the end of the compressed stream");
                }

                _finished = true;
            }

            return produced > 0 || _finished;
        }

        if (produced > 0)
        {
            return true;
        }

        if (_sourceEnded && consumed == 0)
        {
            throw CompressionException.CorruptInput($"{CodecName} decompression failed: unexpected end of input (truncated file)");
        }

        return false;
    }

    public override void Flush()
    {
        if (_compress && !_disposed)
        {
            _inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _compress && !_disposed ? _inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (disposing && _compress)
            {
                FinishCompression();
                _inner.Flush();
            }
        }
        finally
        {
            _disposed = true;
            ReleaseNative();
            if (disposing)
            {
                BoundedBufferPool.Copy.Return(_buffer);
            }

            if (disposing && !_leaveOpen)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (_compress)
            {
                bool ended;
                do
                {
                    ended = Step(ReadOnlySpan<byte>.Empty, _buffer, finish: true, out _, out var produced);
                    if (produced > 0)
                    {
                        await _inner.WriteAsync(_buffer.AsMemory(0, produced)).ConfigureAwait(false);
                    }
                }
                while (!ended);
                await _inner.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _disposed = true;
            ReleaseNative();
            BoundedBufferPool.Copy.Return(_buffer);
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
            }

            GC.SuppressFinalize(this);
        }
    }

    private void FinishCompression()
    {
        bool ended;
        do
        {
            ended = Step(ReadOnlySpan<byte>.Empty, _buffer, finish: true, out _, out var produced);
            if (produced > 0)
            {
                _inner.Write(_buffer, 0, produced);
            }
        }
        while (!ended);
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_compress)
        {
            throw new NotSupportedException("This stream only reads.");
        }
    }

    private void EnsureReadable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_compress)
        {
            throw new NotSupportedException("This stream only writes.");
        }
    }
}

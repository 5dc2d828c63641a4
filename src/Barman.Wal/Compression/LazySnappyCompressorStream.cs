using System.IO.Compression;
using Snappier;

namespace Barman.Wal.Compression;

/// <summary>
/// Snappy framing writer (Snappier) that writes nothing at all for empty input, as python-snappy's
/// <c>stream_compress</c> does: Barman stores an empty WAL file as a 0-byte "snappy" file.
/// </summary>
internal sealed class LazySnappyCompressorStream(Stream destination, bool leaveOpen) : WriteStageStream
{
    private SnappyStream? _snappy;
    private bool _disposed;

    private SnappyStream Snappy => _snappy ??= new SnappyStream(destination, CompressionMode.Compress, leaveOpen: true);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!buffer.IsEmpty)
        {
            Snappy.Write(buffer);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        buffer.IsEmpty ? ValueTask.CompletedTask : Snappy.WriteAsync(buffer, cancellationToken);

    public override void Flush() => _snappy?.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _snappy?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _snappy?.Dispose();
                destination.Flush();
            }
            finally
            {
                if (!leaveOpen)
                {
                    destination.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            try
            {
                if (_snappy is not null)
                {
                    await _snappy.DisposeAsync().ConfigureAwait(false);
                }

                await destination.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                if (!leaveOpen)
                {
                    await destination.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        GC.SuppressFinalize(this);
    }
}

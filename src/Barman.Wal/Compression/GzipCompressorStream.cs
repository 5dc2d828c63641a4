using System.IO.Compression;

namespace Barman.Wal.Compression;

/// <summary>
/// A gzip writer over <see cref="GZipStream"/> that, unlike GZipStream, writes a valid (20-byte)
/// gzip member for empty input, as Python's gzip module and the gzip/pigz commands do.
/// </summary>
internal sealed class GzipCompressorStream : WriteStageStream
{
    /// <summary>An empty deflate stream in a gzip member: MTIME 0, OS 3 (Unix), CRC 0, size 0.</summary>
    private static readonly byte[] EmptyMember =
        [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly CountingWriteStream _counter;
    private readonly GZipStream _gzip;
    private bool _disposed;

    internal GzipCompressorStream(Stream destination, bool leaveOpen, int level)
    {
        _destination = destination;
        _leaveOpen = leaveOpen;
        _counter = new CountingWriteStream(destination, leaveOpen: true);
        _gzip = new GZipStream(_counter, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true);
    }

    public override void Write(ReadOnlySpan<byte> buffer) => _gzip.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _gzip.WriteAsync(buffer, cancellationToken);

    public override void Flush() => _gzip.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _gzip.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _gzip.Dispose();
                if (_counter.BytesWritten == 0)
                {
                    _destination.Write(EmptyMember);
                }

                _destination.Flush();
            }
            finally
            {
                if (!_leaveOpen)
                {
                    _destination.Dispose();
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
                await _gzip.DisposeAsync().ConfigureAwait(false);
                if (_counter.BytesWritten == 0)
                {
                    await _destination.WriteAsync(EmptyMember).ConfigureAwait(false);
                }

                await _destination.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                if (!_leaveOpen)
                {
                    await _destination.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        GC.SuppressFinalize(this);
    }
}

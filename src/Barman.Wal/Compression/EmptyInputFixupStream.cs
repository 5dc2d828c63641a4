namespace Barman.Wal.Compression;

/// <summary>
/// Wraps a library compressor that writes nothing at all for empty input (.NET's GZipStream,
/// K4os' LZ4 frame encoder) and then writes the codec's valid empty stream instead, as Barman's
/// libraries and the CLI tools do — so that the file is readable by <c>gzip -d</c>/<c>lz4 -d</c>
/// and recognised by its magic.
/// </summary>
internal sealed class EmptyInputFixupStream : WriteStageStream
{
    private readonly byte[] _emptyStream;

    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly CountingWriteStream _counter;
    private readonly Stream _compressor;
    private bool _disposed;

    /// <param name="destination">Where the compressed bytes go.</param>
    /// <param name="leaveOpen">Leave <paramref name="destination"/> open on dispose.</param>
    /// <param name="createCompressor">Builds the library compressor over the stream it gets (leaving that stream open).</param>
    /// <param name="emptyStream">The codec's complete encoding of empty input.</param>
    internal EmptyInputFixupStream(Stream destination, bool leaveOpen, Func<Stream, Stream> createCompressor, byte[] emptyStream)
    {
        _destination = destination;
        _leaveOpen = leaveOpen;
        _emptyStream = emptyStream;
        _counter = new CountingWriteStream(destination, leaveOpen: true);
        _compressor = createCompressor(_counter);
    }

    public override void Write(ReadOnlySpan<byte> buffer) => _compressor.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _compressor.WriteAsync(buffer, cancellationToken);

    public override void Flush() => _compressor.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _compressor.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _compressor.Dispose();
                if (_counter.BytesWritten == 0)
                {
                    _destination.Write(_emptyStream);
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
                await _compressor.DisposeAsync().ConfigureAwait(false);
                if (_counter.BytesWritten == 0)
                {
                    await _destination.WriteAsync(_emptyStream).ConfigureAwait(false);
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

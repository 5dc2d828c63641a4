using Barman.Wal.Buffers;

namespace Barman.Wal.Compression;

/// <summary>
/// Write stage that pipes the bytes through a compression command into the destination. Disposing
/// closes the command's stdin, waits for it and throws <see cref="CompressionException"/> when it
/// failed, or printed nothing for non-empty input (which would store an empty file as the WAL).
/// </summary>
internal sealed class ExternalCompressorStream : WriteStageStream
{
    private readonly ShellFilterProcess _process;
    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly CountingWriteStream _counter;
    private readonly Task _pump;
    private long _written;
    private bool _disposed;

    internal ExternalCompressorStream(string command, string description, Stream destination, bool leaveOpen)
    {
        _destination = destination;
        _leaveOpen = leaveOpen;
        _counter = new CountingWriteStream(destination, leaveOpen: true);
        _process = new ShellFilterProcess(command, description);
        _pump = BoundedBufferPool.Copy.CopyAsync(_process.Output, _counter);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            _process.Input.Write(buffer);
            _written += buffer.Length;
        }
        catch (IOException e)
        {
            throw _process.PipeFailure(e);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _process.Input.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            _written += buffer.Length;
        }
        catch (IOException e)
        {
            throw _process.PipeFailure(e);
        }
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                FinishAsync().GetAwaiter().GetResult();
            }
            finally
            {
                Cleanup();
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
                await FinishAsync().ConfigureAwait(false);
            }
            finally
            {
                Cleanup();
            }
        }

        GC.SuppressFinalize(this);
    }

    private async Task FinishAsync()
    {
        try
        {
            await _process.Input.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw _process.PipeFailure(e);
        }

        await _process.EnsureSucceededAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        if (_written > 0 && _counter.BytesWritten == 0)
        {
            throw _process.Failure("it printed nothing for a non-empty input");
        }

        await _destination.FlushAsync().ConfigureAwait(false);
    }

    private void Cleanup()
    {
        _process.Dispose();
        if (!_leaveOpen)
        {
            _destination.Dispose();
        }
    }
}

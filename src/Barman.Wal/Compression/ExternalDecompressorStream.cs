using Barman.Wal.Buffers;

namespace Barman.Wal.Compression;

/// <summary>
/// Read stage that feeds the source to a decompression command and reads its stdout; at the end
/// of the output the command's exit status is checked (non-zero → <see cref="CompressionException"/>).
/// </summary>
internal sealed class ExternalDecompressorStream : ReadStageStream
{
    private readonly ShellFilterProcess _process;
    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly Task _pump;
    private bool _ended;
    private bool _disposed;

    internal ExternalDecompressorStream(string command, string description, Stream source, bool leaveOpen)
    {
        _source = source;
        _leaveOpen = leaveOpen;
        _process = new ShellFilterProcess(command, description);
        _pump = FeedAsync();
    }

    private async Task FeedAsync()
    {
        try
        {
            await BoundedBufferPool.Copy.CopyAsync(_source, _process.Input).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The command stopped reading (it failed or ended early): its exit status tells which.
        }
        finally
        {
            try
            {
                await _process.Input.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        var n = _process.Output.Read(buffer);
        if (n == 0)
        {
            _ended = true;
            _pump.GetAwaiter().GetResult();
            _process.EnsureSucceeded();
        }

        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        var n = await _process.Output.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            _ended = true;
            await _pump.ConfigureAwait(false);
            await _process.EnsureSucceededAsync().ConfigureAwait(false);
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _process.Dispose();
            try
            {
                _pump.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}

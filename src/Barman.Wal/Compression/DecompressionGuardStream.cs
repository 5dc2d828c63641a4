namespace Barman.Wal.Compression;

/// <summary>
/// Wraps a library decompressor so that its own exception types (InvalidDataException,
/// ZstdException, SharpCompress errors, EndOfStreamException on truncation, …) surface as one
/// <see cref="CompressionException"/> naming the codec.
/// </summary>
internal sealed class DecompressionGuardStream(Stream inner, string codecName) : ReadStageStream
{
    /// <summary>Creates the library reader (some read the header at once) and guards it.</summary>
    internal static Stream Open(Func<Stream> create, string codecName)
    {
        try
        {
            return new DecompressionGuardStream(create(), codecName);
        }
        catch (Exception e) when (IsCodecError(e))
        {
            throw Translate(e, codecName);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e) when (IsCodecError(e))
        {
            throw Translate(e, codecName);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsCodecError(e))
        {
            throw Translate(e, codecName);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private static bool IsCodecError(Exception e) =>
        e is not (OperationCanceledException or CompressionException or ObjectDisposedException or OutOfMemoryException);

    private static CompressionException Translate(Exception e, string codecName)
    {
        var cause = e is EndOfStreamException
            ? "unexpected end of input (truncated file)"
            : e.Message;
        return new CompressionException($"{codecName} decompression failed: {cause}", e);
    }
}

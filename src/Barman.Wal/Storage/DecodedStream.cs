using System.IO.Pipelines;

namespace Barman.Wal.Storage;

/// <summary>Reads a source through a transform (e.g. a decompressor) as a plain stream, bounded in memory.</summary>
internal static class DecodedStream
{
    /// <summary>
    /// A stream of <paramref name="transform"/>'s output over <paramref name="source"/>; a transform failure
    /// surfaces as an exception from the returned stream's reads. Null transform: the source itself.
    /// </summary>
    public static Stream Open(Stream source, IWalTransform? transform, CancellationToken cancellationToken)
    {
        if (transform is null)
            return source;
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        _ = PumpAsync(source, transform, pipe.Writer, cancellationToken);
        return pipe.Reader.AsStream();
    }

    private static async Task PumpAsync(Stream source, IWalTransform transform, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await transform.TransformAsync(source, writer.AsStream(leaveOpen: true), cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
        }
    }
}

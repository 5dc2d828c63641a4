using System.IO.Pipelines;
using Barman.Wal.Buffers;

namespace Barman.Wal.Storage;

/// <summary>
/// The configured stages for storing WAL (compressor, encryptor) and the reader that recognises and
/// decodes what is already stored; composes stages as one stream pipeline, never via temp files.
/// </summary>
public sealed class WalPipeline(IWalTransform? compressor, IWalTransform? encryptor, IWalContentReader reader)
{
    /// <summary>The configured compression stage, or null.</summary>
    public IWalTransform? Compressor { get; } = compressor;

    /// <summary>The configured encryption stage, or null.</summary>
    public IWalTransform? Encryptor { get; } = encryptor;

    /// <summary>Recognition and decompression of existing files.</summary>
    public IWalContentReader Reader { get; } = reader;

    /// <summary>Runs <paramref name="stages"/> in order from <paramref name="input"/> to <paramref name="output"/>.</summary>
    public static async Task RunAsync(
        Stream input, IReadOnlyList<IWalTransform> stages, Stream output, CancellationToken cancellationToken = default)
    {
        if (stages.Count == 0)
        {
            await BoundedBufferPool.Copy.CopyAsync(input, output, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (stages.Count == 1)
        {
            await stages[0].TransformAsync(input, output, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Stage i writes into a pipe that stage i+1 reads: the stages run concurrently, memory bounded
        // by the pipe's back-pressure thresholds.
        var tasks = new List<Task>(stages.Count);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var current = input;
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var source = current;
            if (i == stages.Count - 1)
            {
                tasks.Add(RunStageAsync(stage, source, output, null, failure));
                break;
            }

            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
            var writer = pipe.Writer.AsStream();
            tasks.Add(RunStageAsync(stage, source, writer, pipe.Writer, failure));
            current = pipe.Reader.AsStream();
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task RunStageAsync(
        IWalTransform stage, Stream input, Stream output, PipeWriter? pipe, CancellationTokenSource failure)
    {
        try
        {
            await stage.TransformAsync(input, output, failure.Token).ConfigureAwait(false);
            if (pipe is not null)
                await pipe.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (pipe is not null)
                await pipe.CompleteAsync(e).ConfigureAwait(false);
            await failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}

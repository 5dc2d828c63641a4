using Barman.Wal.Buffers;
using Barman.Wal.Compression;

namespace Barman.Wal.Storage;

/// <summary>A codec as a pipeline stage: compresses (or decompresses) the whole input stream.</summary>
public sealed class CodecTransform(WalCodec codec, bool compress) : IWalTransform
{
    /// <inheritdoc />
    public string Name => codec.Name;

    /// <summary>True when this stage is a shell filter that can read and write files itself (pigz, custom).</summary>
    public bool RunsFileToFile => compress && codec.IsExternal;

    /// <summary>
    /// Runs the shell filter with stdin from <paramref name="source"/> and stdout into
    /// <paramref name="destination"/>, as Barman does: no byte passes through this process.
    /// </summary>
    public async Task TransformFileAsync(string source, string destination, CancellationToken cancellationToken = default)
    {
        codec.EnsureAvailable();
        var (command, description) = codec.CompressionFilter
            ?? throw new InvalidOperationException($"{codec.Name} is not a shell filter");
        await ShellFilterProcess.RunFileToFileAsync(command, description, source, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task TransformAsync(Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        if (compress)
        {
            var compressor = codec.OpenCompressor(output, leaveOpen: true);
            await using (compressor.ConfigureAwait(false))
                await BoundedBufferPool.Copy.CopyAsync(input, compressor, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var decompressor = codec.OpenDecompressor(input, leaveOpen: true);
            await using (decompressor.ConfigureAwait(false))
                await BoundedBufferPool.Copy.CopyAsync(decompressor, output, cancellationToken).ConfigureAwait(false);
        }
    }
}

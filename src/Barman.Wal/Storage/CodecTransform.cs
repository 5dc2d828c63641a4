using Barman.Wal.Buffers;
using Barman.Wal.Compression;

namespace Barman.Wal.Storage;

/// <summary>A codec as a pipeline stage: compresses (or decompresses) the whole input stream.</summary>
public sealed class CodecTransform(WalCodec codec, bool compress) : IWalTransform
{
    /// <inheritdoc />
    public string Name => codec.Name;

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

using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>zstd</c>: python-zstandard in Barman (levels 1/4/9, range -22..22). One frame per file, no
/// checksum, no content size, as zstandard's stream writer produces (ZstdSharp).
/// </summary>
/// <remarks>
/// Compression uses two worker threads when the library allows it: the frame stays a single
/// standard frame that every zstd reader decodes.
/// </remarks>
internal sealed class ZstdCodec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 4, 9, -22, 22);
    internal static readonly byte[] MagicBytes = [0x28, 0xb5, 0x2f, 0xfd];

    internal ZstdCodec(int level, bool clamped)
        : base("zstd", level, clamped)
    {
    }

    /// <summary>Worker threads used by the compressor (0 = compress on the calling thread).</summary>
    internal static int Workers { get; set; } = Math.Min(2, Environment.ProcessorCount);

    public override string? FileExtension => ".zst";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false)
    {
        var stream = new CompressionStream(destination, Level!.Value, BufferSize, leaveOpen);
        if (Workers > 1)
        {
            try
            {
                stream.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, Workers);
            }
            catch (ZstdException)
            {
                // Built without multithreading: compress on this thread.
            }
        }

        return stream;
    }

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        DecompressionGuardStream.Open(() => new DecompressionStream(source, BufferSize, checkEndOfStream: true, leaveOpen), Name);
}

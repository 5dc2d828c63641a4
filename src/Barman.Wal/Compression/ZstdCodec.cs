using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>zstd</c>: python-zstandard in Barman (levels 1/4/9, range -22..22). One frame per file, no
/// checksum, no content size, as zstandard's stream writer produces. Written and read with the
/// system libzstd (<see cref="LibZstd"/>) when it loads, else with the managed ZstdSharp port.
/// </summary>
/// <remarks>
/// Compression runs on the calling thread by default: the archiver already compresses one file per
/// core in parallel, and libzstd's worker threads would only add their job buffers (about 16 MiB
/// per file at level 4) to the resident size. With <see cref="Workers"/> &gt; 1 the frame stays a
/// single standard frame that every zstd reader decodes.
/// </remarks>
internal sealed class ZstdCodec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 4, 9, -22, 22);
    internal static readonly byte[] MagicBytes = [0x28, 0xb5, 0x2f, 0xfd];

    internal ZstdCodec(int level, bool clamped)
        : base("zstd", level, clamped)
    {
    }

    /// <summary>Worker threads used by the compressor (0 = compress on the calling thread, the default).</summary>
    internal static int Workers { get; set; }

    /// <summary>True when the system libzstd is used (else the managed fallback).</summary>
    internal static bool UsesNativeLibrary => LibZstd.UnavailableReason is null;

    public override string? FileExtension => ".zst";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false) =>
        UsesNativeLibrary
            ? ZstdNativeStream.CreateEncoder(destination, leaveOpen, Name, Level!.Value, Workers)
            : OpenManagedCompressor(destination, leaveOpen);

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        UsesNativeLibrary
            ? ZstdNativeStream.CreateDecoder(source, leaveOpen, Name)
            : OpenManagedDecompressor(source, leaveOpen);

    /// <summary>The fallback compressor (ZstdSharp), used when libzstd cannot be loaded.</summary>
    internal Stream OpenManagedCompressor(Stream destination, bool leaveOpen)
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

    /// <summary>The fallback decompressor (ZstdSharp), used when libzstd cannot be loaded.</summary>
    internal Stream OpenManagedDecompressor(Stream source, bool leaveOpen) =>
        DecompressionGuardStream.Open(() => new DecompressionStream(source, BufferSize, checkEndOfStream: true, leaveOpen), Name);
}

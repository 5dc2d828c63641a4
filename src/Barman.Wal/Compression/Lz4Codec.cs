using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>lz4</c>: python-lz4's frame API in Barman (levels 0/6/10, range 0..16; 0–2 fast, 3+ HC).
/// One frame with Barman's header (<c>04 22 4d 18 40 40 c0</c>): 64 KiB linked blocks, no
/// checksums, no content size. Written and read with the system liblz4 (<see cref="LibLz4"/>,
/// the library python-lz4 wraps) when it loads, else with the managed K4os port.
/// </summary>
/// <remarks>Lz4 frames without checksums cannot reveal every corruption: only malformed blocks are detected.</remarks>
internal sealed class Lz4Codec : WalCodec
{
    internal static readonly CodecLevels Levels = new(0, 6, 10, 0, 16);
    internal static readonly byte[] MagicBytes = [0x04, 0x22, 0x4d, 0x18];

    /// <summary>Barman's frame for empty input: header (FLG 0x40, BD 0x40, HC 0xc0) and the end mark.</summary>
    private static readonly byte[] EmptyFrame = [0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0xc0, 0, 0, 0, 0];

    internal Lz4Codec(int level, bool clamped)
        : base("lz4", level, clamped)
    {
    }

    /// <summary>True when the system liblz4 is used (else the managed fallback).</summary>
    internal static bool UsesNativeLibrary => LibLz4.UnavailableReason is null;

    public override string? FileExtension => ".lz4";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false) =>
        UsesNativeLibrary
            ? Lz4NativeStream.CreateEncoder(destination, leaveOpen, Name, Level!.Value)
            : OpenManagedCompressor(destination, leaveOpen);

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        UsesNativeLibrary
            ? Lz4NativeStream.CreateDecoder(source, leaveOpen, Name)
            : OpenManagedDecompressor(source, leaveOpen);

    /// <summary>The fallback compressor (K4os), used when liblz4 cannot be loaded.</summary>
    internal Stream OpenManagedCompressor(Stream destination, bool leaveOpen) =>
        new EmptyInputFixupStream(destination, leaveOpen, Encode, EmptyFrame);

    /// <summary>The fallback decompressor (K4os), used when liblz4 cannot be loaded.</summary>
    internal Stream OpenManagedDecompressor(Stream source, bool leaveOpen) =>
        DecompressionGuardStream.Open(() => LZ4Stream.Decode(source, new LZ4DecoderSettings { ExtraMemory = 0 }, leaveOpen), Name);

    private Stream Encode(Stream destination) =>
        LZ4Stream.Encode(
            destination,
            new LZ4EncoderSettings
            {
                CompressionLevel = (LZ4Level)Math.Min(Level!.Value, 12),
                BlockSize = 64 * 1024,
                ChainBlocks = true,
                ContentChecksum = false,
                BlockChecksum = false,
            },
            leaveOpen: true);
}

using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>lz4</c>: python-lz4's frame API in Barman (levels 0/6/10, range 0..16; 0–2 fast, 3+ HC).
/// One frame with Barman's header (<c>04 22 4d 18 40 40 c0</c>): 64 KiB linked blocks, no
/// checksums, no content size.
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

    public override string? FileExtension => ".lz4";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false) =>
        new EmptyInputFixupStream(destination, leaveOpen, Encode, EmptyFrame);

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

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        DecompressionGuardStream.Open(() => LZ4Stream.Decode(source, new LZ4DecoderSettings { ExtraMemory = 0 }, leaveOpen), Name);
}

using SharpCompress.Compressors.Xz;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>xz</c>: Python's lzma module in Barman (presets 1/3/5, range 1..9, CRC64 check).
/// Written and read with the system liblzma (<see cref="LibLzma"/>), so the output is
/// byte-identical to Barman's; reading falls back to SharpCompress when liblzma is missing.
/// </summary>
internal sealed class XzCodec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 3, 5, 1, 9);
    internal static readonly byte[] MagicBytes = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

    internal XzCodec(int level, bool clamped)
        : base("xz", level, clamped)
    {
    }

    public override string? FileExtension => ".xz";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false)
    {
        EnsureAvailable();
        return XzNativeStream.CreateEncoder(destination, leaveOpen, Name, Level!.Value);
    }

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false)
    {
        if (LibLzma.UnavailableReason is null)
        {
            return XzNativeStream.CreateDecoder(source, leaveOpen, Name);
        }

        return DecompressionGuardStream.Open(() => new XZStream(leaveOpen ? new NonClosingStream(source) : source), Name);
    }

    public override void EnsureAvailable()
    {
        if (LibLzma.UnavailableReason is { } reason)
        {
            throw new CompressionException($"xz compression: {reason}");
        }
    }
}

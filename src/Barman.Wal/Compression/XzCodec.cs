using System.Runtime.CompilerServices;
using SharpCompress.Compressors.Xz;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>xz</c>: Python's lzma module in Barman (presets 1/3/5, range 1..9, CRC64 check).
/// Written and read with the system liblzma (<see cref="LibLzma"/>); reading falls back to
/// SharpCompress when liblzma is missing.
/// </summary>
/// <remarks>
/// Up to preset 3 (<c>low</c> and <c>medium</c>) the LZMA2 dictionary is capped at
/// <see cref="LowPresetDictionaryCap"/>: preset 3's own 4 MiB needs a 32 MiB encoder, where 256 KiB needs
/// about 3 MiB, so that two files compress at once within barman-wal's memory target; on real WAL segments
/// the output grows by about 1 % (and is faster to write: most of a segment's redundancy is local). The files
/// are ordinary .xz streams that Barman, <c>xz -d</c> and Python's lzma read; they are no longer
/// byte-identical to Barman's own (the dictionary size is recorded in the block header). Presets 4 and
/// above, asked for their ratio, keep their dictionary.
/// </remarks>
internal sealed class XzCodec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 3, 5, 1, 9);
    internal static readonly byte[] MagicBytes = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

    /// <summary>The largest LZMA2 dictionary used at presets 0 to 3: 256 KiB.</summary>
    internal const uint LowPresetDictionaryCap = 256 * 1024;

    /// <summary>The dictionary cap for <paramref name="preset"/> (no cap above preset 3).</summary>
    internal static uint MaxDictionarySize(int preset) => preset <= 3 ? LowPresetDictionaryCap : uint.MaxValue;

    internal XzCodec(int level, bool clamped)
        : base("xz", level, clamped)
    {
    }

    public override string? FileExtension => ".xz";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false)
    {
        EnsureAvailable();
        return XzNativeStream.CreateEncoder(destination, leaveOpen, Name, Level!.Value, MaxDictionarySize(Level!.Value));
    }

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false)
    {
        if (LibLzma.UnavailableReason is null)
        {
            return XzNativeStream.CreateDecoder(source, leaveOpen, Name);
        }

        return OpenManagedDecompressor(source, leaveOpen);
    }

    // In its own method so that SharpCompress is only loaded when the fallback runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Stream OpenManagedDecompressor(Stream source, bool leaveOpen) =>
        DecompressionGuardStream.Open(() => new XZStream(leaveOpen ? new NonClosingStream(source) : source), Name);

    public override void EnsureAvailable()
    {
        if (LibLzma.UnavailableReason is { } reason)
        {
            throw new CompressionException($"xz compression: {reason}");
        }
    }
}

using System.Runtime.CompilerServices;
using SharpCompress.Compressors;
using SharpCompress.Compressors.BZip2;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>bzip2</c> / <c>pybzip2</c>: Python's bz2 module in Barman (levels 1/5/9, range 1..9).
/// Written and read with the system libbz2 (<see cref="LibBz2"/>), the library Python's bz2 uses,
/// so the output is byte-identical to Barman 3.16+'s (the level is the block size: <c>BZh5</c> by
/// default). When libbz2 cannot be loaded it falls back to the managed SharpCompress codec. Both
/// read concatenated streams as <c>bzip2 -d</c> does.
/// </summary>
/// <remarks>
/// SharpCompress has no level setting: on the fallback path it always writes 900 kB blocks (header
/// <c>BZh9</c>), which every reader accepts; <see cref="WalCodec.Level"/> reports Barman's level.
/// </remarks>
internal sealed class Bzip2Codec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 5, 9, 1, 9);
    internal static readonly byte[] MagicBytes = "BZh"u8.ToArray();

    private readonly bool _preferNative;

    /// <param name="name">The configured name (bzip2 or pybzip2).</param>
    /// <param name="level">Barman's level, 1..9.</param>
    /// <param name="clamped">True when the configured level was clamped.</param>
    /// <param name="preferNative">False forces the SharpCompress codec (tests of the fallback).</param>
    internal Bzip2Codec(string name, int level, bool clamped, bool preferNative = true)
        : base(name, level, clamped)
    {
        _preferNative = preferNative;
    }

    /// <summary>True when compression and decompression go through libbz2 (loaded, and not disabled).</summary>
    internal bool UsesNativeLibrary => _preferNative && LibBz2.UnavailableReason is null;

    public override string? FileExtension => ".bz2";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false) =>
        UsesNativeLibrary
            ? Bzip2NativeStream.CreateEncoder(destination, leaveOpen, Name, Level!.Value)
            : OpenManagedCompressor(destination, leaveOpen);

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        UsesNativeLibrary
            ? Bzip2NativeStream.CreateDecoder(source, leaveOpen, Name)
            : OpenManagedDecompressor(source, leaveOpen);

    // The fallbacks live in their own methods so that SharpCompress is only loaded when one runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Stream OpenManagedCompressor(Stream destination, bool leaveOpen) =>
        new BufferedStream(BZip2Stream.Create(destination, CompressionMode.Compress, false, leaveOpen, false), BufferSize);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Stream OpenManagedDecompressor(Stream source, bool leaveOpen) =>
        DecompressionGuardStream.Open(() => BZip2Stream.Create(source, CompressionMode.Decompress, true, leaveOpen, false), Name);
}

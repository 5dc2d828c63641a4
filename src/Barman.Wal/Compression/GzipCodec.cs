using System.IO.Compression;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>gzip</c> / <c>pygzip</c>: Python's gzip module in Barman (levels 1/6/9, range 1..9).
/// Writes with the system libdeflate (<see cref="LibDeflate"/>, <see cref="GzipDeflateStream"/>): one
/// gzip member per 960 KiB chunk, about twice the speed of zlib (which Python's gzip uses). When
/// libdeflate cannot be loaded it falls back to one member written by .NET's GZipStream (zlib-ng).
/// Reads with zlib (all members, CRC checked, truncation detected), or GZipStream when zlib is not
/// loadable.
/// </summary>
/// <remarks>
/// The header differs from Python's (no FNAME, MTIME 0) — every gzip reader, Barman included,
/// accepts it, and Barman never produced reproducible bytes anyway (MTIME is the time of
/// compression). A multi-member file is valid gzip: Python's gzip module and <c>gzip -d</c> read it
/// whole. An empty input gives the standard 20-byte empty member on both paths.
/// </remarks>
internal sealed class GzipCodec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 6, 9, 1, 9);
    internal static readonly byte[] MagicBytes = [0x1f, 0x8b, 0x08];

    /// <summary>An empty deflate stream in a gzip member: MTIME 0, OS 3 (Unix), CRC 0, size 0.</summary>
    private static readonly byte[] EmptyMember =
        [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly bool _preferNative;

    /// <param name="name">The configured name (gzip or pygzip).</param>
    /// <param name="level">Barman's level, 1..9.</param>
    /// <param name="clamped">True when the configured level was clamped.</param>
    /// <param name="preferNative">False forces the managed GZipStream writer (tests of the fallback).</param>
    internal GzipCodec(string name, int level, bool clamped, bool preferNative = true)
        : base(name, level, clamped)
    {
        _preferNative = preferNative;
    }

    /// <summary>True when the compressor writes through libdeflate (loaded, and not disabled).</summary>
    internal bool UsesNativeCompressor => _preferNative && LibDeflate.UnavailableReason is null;

    public override string? FileExtension => ".gz";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false) =>
        UsesNativeCompressor
            ? new GzipDeflateStream(destination, leaveOpen, Level!.Value, EmptyMember, Name)
            : new EmptyInputFixupStream(
                destination,
                leaveOpen,
                counter => new GZipStream(counter, new ZLibCompressionOptions { CompressionLevel = Level!.Value }, leaveOpen: true),
                EmptyMember);

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        OpenReader(source, leaveOpen, Name);

    internal static Stream OpenReader(Stream source, bool leaveOpen, string name) =>
        LibZ.IsAvailable
            ? new GzipInflateStream(source, leaveOpen, name)
            : DecompressionGuardStream.Open(() => new GZipStream(source, CompressionMode.Decompress, leaveOpen), name);
}

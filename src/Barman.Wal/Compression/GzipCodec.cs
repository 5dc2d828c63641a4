using System.IO.Compression;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>gzip</c> / <c>pygzip</c>: Python's gzip module in Barman (levels 1/6/9, range 1..9).
/// Writes with the system libdeflate (<see cref="LibDeflate"/>, <see cref="GzipDeflateStream"/>): one
/// gzip member per 960 KiB chunk, two to three times the speed of zlib (which Python's gzip uses) for the
/// same size. When
/// libdeflate cannot be loaded it falls back to one member written by .NET's GZipStream (zlib-ng).
/// Reads with zlib (all members, CRC checked, truncation detected), or GZipStream when zlib is not
/// loadable.
/// </summary>
/// <remarks>
/// <para>
/// Levels: libdeflate's scale is not zlib's. Measured on real PostgreSQL 15 WAL, libdeflate's level
/// <c>N - 1</c> gives the size zlib gives at level <c>N</c> (within 2 %, and within 4 % at every level),
/// at markedly less CPU, so Barman's level <c>N</c> (2..9) runs libdeflate at <c>N - 1</c>
/// (<see cref="LibDeflateLevel"/>); level 1 stays 1. Barman's default, <c>medium</c> (6), thus writes at
/// libdeflate 5: +1.5 % in size against Barman's files, 20 % less CPU than libdeflate 6. The GZipStream
/// fallback takes Barman's level unchanged (zlib-ng follows zlib's scale).
/// </para>
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
            ? new GzipDeflateStream(destination, leaveOpen, LibDeflateLevel(Level!.Value), EmptyMember, Name)
            : new EmptyInputFixupStream(
                destination,
                leaveOpen,
                counter => new GZipStream(counter, new ZLibCompressionOptions { CompressionLevel = Level!.Value }, leaveOpen: true),
                EmptyMember);

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        OpenReader(source, leaveOpen, Name);

    /// <summary>The libdeflate level that matches zlib's size at Barman's <paramref name="barmanLevel"/> (1..9).</summary>
    internal static int LibDeflateLevel(int barmanLevel) => barmanLevel <= 1 ? barmanLevel : barmanLevel - 1;

    internal static Stream OpenReader(Stream source, bool leaveOpen, string name) =>
        LibZ.IsAvailable
            ? new GzipInflateStream(source, leaveOpen, name)
            : DecompressionGuardStream.Open(() => new GZipStream(source, CompressionMode.Decompress, leaveOpen), name);
}

using SharpCompress.Compressors;
using SharpCompress.Compressors.BZip2;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>bzip2</c> / <c>pybzip2</c>: Python's bz2 module in Barman (levels 1/5/9, range 1..9).
/// Managed SharpCompress codec, reading concatenated streams as <c>bzip2 -d</c> does.
/// </summary>
/// <remarks>
/// SharpCompress has no level setting: it always writes 900 kB blocks (header <c>BZh9</c>), which
/// every reader accepts; <see cref="WalCodec.Level"/> reports Barman's level, not the block size used.
/// </remarks>
internal sealed class Bzip2Codec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 5, 9, 1, 9);
    internal static readonly byte[] MagicBytes = "BZh"u8.ToArray();

    internal Bzip2Codec(string name, int level, bool clamped)
        : base(name, level, clamped)
    {
    }

    public override string? FileExtension => ".bz2";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false) =>
        new BufferedStream(BZip2Stream.Create(destination, CompressionMode.Compress, false, leaveOpen, false), BufferSize);

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        DecompressionGuardStream.Open(() => BZip2Stream.Create(source, CompressionMode.Decompress, true, leaveOpen, false), Name);
}

namespace Barman.Wal.Compression;

/// <summary>
/// <c>snappy</c>: python-snappy's framing format in Barman (no levels). Empty input gives a 0-byte
/// file, exactly as Barman writes it.
/// </summary>
internal sealed class SnappyCodec : WalCodec
{
    internal static readonly byte[] MagicBytes = [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59];

    internal SnappyCodec()
        : base("snappy", null, false)
    {
    }

    public override string? FileExtension => ".snappy";

    public override ReadOnlyMemory<byte> Magic => MagicBytes;

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false) =>
        new LazySnappyCompressorStream(destination, leaveOpen);

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false) =>
        new SnappyFrameReader(source, leaveOpen, Name);
}

using System.Buffers.Binary;

namespace Barman.Wal.Xlog;

/// <summary>
/// The long page header that starts every WAL segment (PostgreSQL's <c>XLogLongPageHeaderData</c>,
/// spec: wal-names §7), decoded from its first 40 bytes, little-endian.
/// </summary>
public readonly record struct WalPageHeader(
    ushort Magic,
    ushort Info,
    uint Timeline,
    ulong PageAddress,
    uint RemainingLength,
    ulong SystemIdentifier,
    uint SegmentSize,
    uint BlockSize)
{
    /// <summary>Size of the long header (first page of a segment).</summary>
    public const int LongHeaderSize = 40;

    /// <summary><c>XLP_LONG_HEADER</c>: set on the first page of every segment.</summary>
    public const ushort LongHeaderFlag = 0x0002;

    /// <summary>Every <c>xlp_info</c> bit PostgreSQL 12–18 defines.</summary>
    public const ushort KnownInfoBits = 0x000F;

    /// <summary>True when all fields are zero: a pre-allocated page never written (a fresh <c>.partial</c>).</summary>
    public bool IsAllZero => Magic == 0 && Info == 0 && Timeline == 0 && PageAddress == 0 && RemainingLength == 0
        && SystemIdentifier == 0 && SegmentSize == 0 && BlockSize == 0;

    /// <summary>Decodes the first <see cref="LongHeaderSize"/> bytes; false when fewer are given.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out WalPageHeader header)
    {
        header = default;
        if (bytes.Length < LongHeaderSize)
            return false;
        header = new WalPageHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[32..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[36..]));
        return true;
    }

    /// <summary>The PostgreSQL major version of a known <c>XLOG_PAGE_MAGIC</c>, or null.</summary>
    public static int? MajorVersionOf(ushort magic) => magic switch
    {
        0xD101 => 12,
        0xD106 => 13,
        0xD10D => 14,
        0xD110 => 15,
        0xD113 => 16,
        0xD116 => 17,
        0xD118 => 18,
        _ => null,
    };

    /// <summary>
    /// True for a magic of PostgreSQL 12–18, or a later one (0xD119–0xD1FF): a newer server keeps its
    /// WAL archived; the system id and address checks still apply to it.
    /// </summary>
    public static bool IsSupportedMagic(ushort magic) => MajorVersionOf(magic) is not null || magic is > 0xD118 and <= 0xD1FF;
}

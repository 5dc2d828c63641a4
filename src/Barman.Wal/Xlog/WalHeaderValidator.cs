using System.Globalization;
using System.Numerics;

namespace Barman.Wal.Xlog;

/// <summary>
/// The barman-wal header rules of spec wal-names §7: does a file's first page header belong to the
/// segment its name says, of the server's PostgreSQL system? Pure function, no I/O.
/// </summary>
/// <remarks>
/// <c>.history</c> and <c>.backup</c> files are text and always pass. A <c>.partial</c> may be empty or
/// start with an all-zero page (pre-allocated, never written); otherwise it is checked like a segment
/// except for its size. Checks run from the most basic up, so random bytes are reported as corrupt and
/// only a well-formed header with another system identifier is reported as foreign.
/// </remarks>
public static class WalHeaderValidator
{
    private const uint MinSegmentSize = 1u << 20;
    private const uint MaxSegmentSize = 1u << 30;

    /// <summary>Validates <paramref name="header"/> (the first bytes, after decompression) against the name and server.</summary>
    /// <param name="name">The parsed file name.</param>
    /// <param name="header">At least the first 40 bytes of the plain content when it has them.</param>
    /// <param name="plainSize">The plain content size when known (not for a compressed source), else null.</param>
    /// <param name="systemIdentifier">The server's system identifier, or null when not known yet.</param>
    /// <param name="segmentSize">The server's WAL segment size, or null when not known yet.</param>
    public static WalHeaderVerdict Validate(
        WalName name, ReadOnlySpan<byte> header, long? plainSize, ulong? systemIdentifier, uint? segmentSize)
    {
        if (name.Kind is WalFileKind.History or WalFileKind.BackupLabel)
            return WalHeaderVerdict.Valid(null);
        var partial = name.Kind == WalFileKind.Partial;
        if (partial && header.Length == 0)
            return WalHeaderVerdict.Valid(null);
        if (header.Length < WalPageHeader.LongHeaderSize || plainSize < WalPageHeader.LongHeaderSize)
        {
            var size = plainSize ?? header.Length;
            return WalHeaderVerdict.Corrupt(size == 0
                ? "the file is empty"
                : string.Create(CultureInfo.InvariantCulture, $"the file is {size} bytes, shorter than a WAL page header"));
        }

        WalPageHeader.TryRead(header, out var h);
        if (h.IsAllZero)
            return partial ? WalHeaderVerdict.Valid(h) : WalHeaderVerdict.Corrupt("the first page is all zeros (never written)", h);
        if (!WalPageHeader.IsSupportedMagic(h.Magic))
            return WalHeaderVerdict.Corrupt(Text($"not a WAL segment of PostgreSQL 12 or later (page magic 0x{h.Magic:X4})"), h);
        if ((h.Info & WalPageHeader.LongHeaderFlag) == 0 || (h.Info & ~WalPageHeader.KnownInfoBits) != 0)
            return WalHeaderVerdict.Corrupt(Text($"the first page has no valid long header (xlp_info 0x{h.Info:X4})"), h);
        if (!IsPowerOfTwoIn(h.SegmentSize, MinSegmentSize, MaxSegmentSize))
            return WalHeaderVerdict.Corrupt(Text($"invalid WAL segment size {h.SegmentSize} in the header"), h);
        if (!IsPowerOfTwoIn(h.BlockSize, 1024, 65536))
            return WalHeaderVerdict.Corrupt(Text($"invalid WAL block size {h.BlockSize} in the header"), h);
        if (systemIdentifier is { } expected && h.SystemIdentifier != expected)
        {
            return new WalHeaderVerdict(
                WalHeaderProblem.Foreign,
                Text($"it belongs to another PostgreSQL system (expected system id {expected}, found {h.SystemIdentifier})"),
                h);
        }

        if (segmentSize is { } size2 && h.SegmentSize != size2)
            return WalHeaderVerdict.Corrupt(Text($"the header says segment size {h.SegmentSize}, the server's is {size2}"), h);
        if (!partial && plainSize is { } actual && actual != h.SegmentSize)
            return WalHeaderVerdict.Corrupt(Text($"the file is {actual} bytes, the segment size is {h.SegmentSize} (truncated or padded)"), h);

        var segmentsPerLog = (1UL << 32) / h.SegmentSize;
        if (name.Segment >= segmentsPerLog)
            return WalHeaderVerdict.Corrupt(Text($"segment number {name.Segment:X8} is impossible with segment size {h.SegmentSize}"), h);
        var expectedAddress = (name.Log * segmentsPerLog + name.Segment) * h.SegmentSize;
        if (h.PageAddress != expectedAddress)
            return WalHeaderVerdict.Corrupt(Text($"the header is of WAL position {Lsn(h.PageAddress)}, the name says {Lsn(expectedAddress)}"), h);
        if (h.Timeline < 1 || h.Timeline > name.Timeline)
            return WalHeaderVerdict.Corrupt(Text($"the header is of timeline {h.Timeline}, the name says {name.Timeline}"), h);
        return WalHeaderVerdict.Valid(h);
    }

    /// <summary>True for a segment size PostgreSQL allows: a power of two from 1 MiB to 1 GiB.</summary>
    public static bool IsValidSegmentSize(uint size) => IsPowerOfTwoIn(size, MinSegmentSize, MaxSegmentSize);

    /// <summary>An LSN as PostgreSQL prints it: <c>X/X</c> upper-case hex.</summary>
    public static string Lsn(ulong position) =>
        string.Create(CultureInfo.InvariantCulture, $"{position >> 32:X}/{position & 0xFFFFFFFF:X}");

    private static bool IsPowerOfTwoIn(uint value, uint min, uint max) =>
        BitOperations.IsPow2(value) && value >= min && value <= max;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

namespace Barman.Wal.Xlog;

/// <summary>LSN and segment number arithmetic for a given segment size (spec: wal-names §4).</summary>
public readonly record struct WalSegmentArithmetic(long SegmentSize)
{
    /// <summary>The PostgreSQL default (and pre-11 only) segment size, 16 MiB.</summary>
    public const long DefaultSegmentSize = 16L * 1024 * 1024;

    /// <summary>Segments per log (xlogid): 2^32 / size.</summary>
    public long SegmentsPerLog => 0x1_0000_0000L / SegmentSize;

    /// <summary>The global segment number of a name: <c>log × segments-per-log + segment</c>.</summary>
    public long SegmentNumber(WalName name) => (name.Log * SegmentsPerLog) + name.Segment;

    /// <summary>The LSN at which a segment starts.</summary>
    public ulong StartLsn(WalName name) => (ulong)SegmentNumber(name) * (ulong)SegmentSize;

    /// <summary>Barman's LSN to segment name: a boundary LSN is taken at face value.</summary>
    public string NameOf(uint timeline, ulong lsn)
    {
        var log = (uint)(lsn >> 32);
        var segment = (uint)((lsn & 0xFFFF_FFFF) / (ulong)SegmentSize);
        return WalName.Encode(timeline, log, segment);
    }

    /// <summary>Parses a textual LSN <c>X/Y</c>.</summary>
    public static ulong ParseLsn(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
            throw new FormatException($"invalid LSN '{text}'");
        var high = Convert.ToUInt32(text[..slash], 16);
        var low = Convert.ToUInt32(text[(slash + 1)..], 16);
        return ((ulong)high << 32) | low;
    }
}

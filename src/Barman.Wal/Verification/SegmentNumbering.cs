using Barman.Wal.Xlog;

namespace Barman.Wal.Verification;

/// <summary>Converts between WAL names and absolute segment numbers for one segment size.</summary>
public sealed class SegmentNumbering(uint segmentSize)
{
    /// <summary>PostgreSQL's default WAL segment size.</summary>
    public const uint DefaultSegmentSize = 16u << 20;

    /// <summary>The segment size in bytes.</summary>
    public uint SegmentSize { get; } = segmentSize;

    private ulong PerLog => (1UL << 32) / SegmentSize;

    /// <summary>The absolute segment number of a name's (log, segment).</summary>
    public ulong Number(WalName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Log * PerLog + name.Segment;
    }

    /// <summary>The segment holding <paramref name="lsn"/>.</summary>
    public ulong NumberOf(ulong lsn) => lsn / SegmentSize;

    /// <summary>The segment name of (timeline, number).</summary>
    public string Name(uint timeline, ulong number) => WalName.Encode(timeline, (uint)(number / PerLog), (uint)(number % PerLog));
}

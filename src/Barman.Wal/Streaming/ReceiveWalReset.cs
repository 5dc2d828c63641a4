using Barman.Wal.Xlog;

namespace Barman.Wal.Streaming;

/// <summary>
/// The <c>--reset</c> algorithm (spec: receive-wal §7): where pg_receivewal would resume compared
/// with the server's position, and the re-alignment of the streaming directory.
/// </summary>
public static class ReceiveWalReset
{
    /// <summary>
    /// <c>current_wal</c> and <c>restart_wal</c>: the WAL names of the current LSN and of the slot's
    /// restart LSN (when known) on <paramref name="timeline"/>.
    /// </summary>
    public static (string CurrentWal, string RestartWal) Positions(uint timeline, long segmentSize, ulong currentLsn, ulong? slotRestartLsn)
    {
        var arithmetic = new WalSegmentArithmetic(segmentSize);
        var current = arithmetic.NameOf(timeline, currentLsn);
        var restart = slotRestartLsn is { } lsn ? arithmetic.NameOf(timeline, lsn) : current;
        return (current, restart);
    }

    /// <summary>The WAL file containing the byte before a segment boundary (pg_walfile_name_offset before 17).</summary>
    public static string CurrentXlog(uint timeline, long segmentSize, ulong currentLsn)
    {
        var arithmetic = new WalSegmentArithmetic(segmentSize);
        var lsn = currentLsn > 0 && currentLsn % (ulong)segmentSize == 0 ? currentLsn - 1 : currentLsn;
        return arithmetic.NameOf(timeline, lsn);
    }

    /// <summary>Decides the reset from the directory's entry names (no I/O).</summary>
    public static ReceiveWalResetPlan Plan(IEnumerable<string> entries, string currentWal, string restartWal)
    {
        var sorted = entries.Where(e => !e.StartsWith('.')).OrderByDescending(e => e, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
            return new ReceiveWalResetPlan(ReceiveWalResetAction.Aligned, null, null, null);

        var last = sorted.FirstOrDefault(e => WalName.IsWalFile(e) || WalName.IsPartialFile(e)) ?? sorted[^1];
        if (last == restartWal + ".partial" || last == restartWal)
            return new ReceiveWalResetPlan(ReceiveWalResetAction.Aligned, last, null, null);
        if (string.CompareOrdinal(last, currentWal) > 0)
            return new ReceiveWalResetPlan(ReceiveWalResetAction.Ahead, last, null, null);
        return new ReceiveWalResetPlan(
            ReceiveWalResetAction.Reset,
            last,
            WalName.IsPartialFile(last) ? last : null,
            restartWal + ".partial");
    }
}

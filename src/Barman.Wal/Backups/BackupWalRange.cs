using Barman.Wal.Catalog;
using Barman.Wal.Xlog;

namespace Barman.Wal.Backups;

/// <summary>
/// The catalog entries a backup owns and those up to the next backup (spec: backup-catalog §5): plain segments
/// from <c>begin_wal</c> on, timeline at most the one in <c>begin_wal</c>, walked in catalog order and stopping at
/// the first name past the next available backup's <c>end_wal</c> (compared across timelines, as Barman does).
/// </summary>
/// <param name="OwnCount">Entries up to and including <c>end_wal</c>.</param>
/// <param name="OwnSize">Their stored size in bytes.</param>
/// <param name="UntilNextSize">Stored size of the entries after <c>end_wal</c> (Barman's <c>wal_until_next_size</c>).</param>
/// <param name="Last">The last entry walked (catalog order, not the newest time), or null for an empty range.</param>
public sealed record BackupWalRange(int OwnCount, long OwnSize, long UntilNextSize, WalFileInfo? Last)
{
    /// <summary>The range without entries.</summary>
    public static readonly BackupWalRange Empty = new(0, 0, 0, null);

    /// <summary>The range of <paramref name="backup"/>, the next available backup being <paramref name="next"/>.</summary>
    public static BackupWalRange Of(BackupInfo backup, BackupInfo? next, IEnumerable<WalFileInfo> catalog)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(catalog);
        if (backup.BeginWal is not { } begin || !WalName.TryParse(begin, out var beginName))
            return Empty;
        var nextEnd = next?.EndWal;
        var (ownCount, ownSize, untilNext) = (0, 0L, 0L);
        WalFileInfo? last = null;
        foreach (var wal in catalog)
        {
            if (!WalName.TryParse(wal.Name, out var name) || name.Kind == WalFileKind.History)
                continue;
            if (string.CompareOrdinal(wal.Name, begin) < 0 || name.Timeline > beginName.Timeline || name.Kind != WalFileKind.Segment)
                continue;
            if (nextEnd is not null && string.CompareOrdinal(wal.Name, nextEnd) > 0)
                break;
            if (backup.EndWal is { } end && string.CompareOrdinal(wal.Name, end) <= 0)
            {
                ownCount++;
                ownSize += wal.Size;
            }
            else
            {
                untilNext += wal.Size;
            }

            last = wal;
        }

        return new BackupWalRange(ownCount, ownSize, untilNext, last);
    }
}

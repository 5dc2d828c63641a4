namespace Barman.Wal.Postgres;

/// <summary>The row of pg_stat_archiver plus Barman's "continuous archiving" verdict.</summary>
/// <param name="ArchivedCount">archived_count.</param>
/// <param name="LastArchivedWal">last_archived_wal.</param>
/// <param name="LastArchivedTime">last_archived_time.</param>
/// <param name="FailedCount">failed_count.</param>
/// <param name="LastFailedWal">last_failed_wal.</param>
/// <param name="LastFailedTime">last_failed_time.</param>
/// <param name="StatsReset">stats_reset.</param>
/// <param name="IsArchiving">
/// archive_mode is on/always and no failure is newer than the last success (spec/check.md §4.11);
/// null when SQL gives NULL (e.g. a failure and nothing ever archived).
/// </param>
public sealed record ArchiverStatus(
    long ArchivedCount,
    string? LastArchivedWal,
    DateTimeOffset? LastArchivedTime,
    long FailedCount,
    string? LastFailedWal,
    DateTimeOffset? LastFailedTime,
    DateTimeOffset? StatsReset,
    bool? IsArchiving);

namespace Barman.Wal.Backups;

/// <summary>
/// Barman's backup statuses and the sets each question counts (spec: backup-catalog §3). Statuses are
/// compared exactly (case-sensitive): any other word is matched by no set.
/// </summary>
public static class BackupStatus
{
    /// <summary>No <c>status</c> line (the default).</summary>
    public const string Empty = "EMPTY";

    /// <summary>A backup in progress.</summary>
    public const string Started = "STARTED";

    /// <summary>Copied, waiting for its end WAL to be archived.</summary>
    public const string WaitingForWals = "WAITING_FOR_WALS";

    /// <summary>A complete backup.</summary>
    public const string Done = "DONE";

    /// <summary>A passive node copying it from the primary.</summary>
    public const string Syncing = "SYNCING";

    /// <summary>A failed backup.</summary>
    public const string Failed = "FAILED";

    /// <summary>"Available" backups: first/last, previous/next, WAL range ownership.</summary>
    public static readonly IReadOnlySet<string> Available = new HashSet<string>(StringComparer.Ordinal) { Done, WaitingForWals };

    /// <summary>Backups whose timeline is protected while WAL is purged (not FAILED, not EMPTY).</summary>
    public static readonly IReadOnlySet<string> ProtectingTimeline =
        new HashSet<string>(StringComparer.Ordinal) { Started, WaitingForWals, Done, Syncing };

    /// <summary>The six statuses Barman knows.</summary>
    public static readonly IReadOnlySet<string> Known =
        new HashSet<string>(StringComparer.Ordinal) { Empty, Started, WaitingForWals, Done, Syncing, Failed };
}

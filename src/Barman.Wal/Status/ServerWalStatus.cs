using Barman.Wal.Catalog;

namespace Barman.Wal.Status;

/// <summary>
/// barman-wal's own view of one server's WAL archiving, from local files only (no PostgreSQL): queues, the
/// catalog, the errors directory and the receive-wal lock.
/// </summary>
/// <param name="Server">The server name.</param>
/// <param name="Incoming">The incoming queue (archive_command deliveries).</param>
/// <param name="Streaming">The streaming queue (pg_receivewal).</param>
/// <param name="LastArchived">The catalog's last line (catalog order), null for an empty catalog.</param>
/// <param name="LastArchivedAge">How long ago <paramref name="LastArchived"/>'s catalog time is.</param>
/// <param name="Timelines">First/last segment per timeline, ordered by timeline.</param>
/// <param name="ErrorFiles">Entries in the errors directory.</param>
/// <param name="ReceiveWalPid">The running receive-wal's PID (0: running, PID unreadable), null when not running.</param>
/// <param name="CatalogProblem">Why the catalog could not be read, or null.</param>
public sealed record ServerWalStatus(
    string Server,
    QueueStatus Incoming,
    QueueStatus Streaming,
    WalFileInfo? LastArchived,
    TimeSpan? LastArchivedAge,
    IReadOnlyList<TimelineRange> Timelines,
    int ErrorFiles,
    int? ReceiveWalPid,
    string? CatalogProblem);

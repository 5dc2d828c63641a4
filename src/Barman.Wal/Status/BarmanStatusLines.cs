using System.Globalization;
using Barman.Wal.Backups;
using Barman.Wal.Checks;
using Barman.Wal.Configuration;
using Barman.Wal.Postgres;

namespace Barman.Wal.Status;

/// <summary>
/// Barman's <c>status</c> lines for one server, in Barman's order and wording (spec: status §2–§3): PostgreSQL
/// values on one connection (lines 5–13 say so or are left out when it is unreachable), then the backup catalog.
/// </summary>
internal static class BarmanStatusLines
{
    public static async Task<List<StatusLine>> CollectAsync(ServerOptions server, CancellationToken ct)
    {
        var lines = new List<StatusLine>();
        if (server.Description is { } description)
            lines.Add(new("description", "Description", description));
        lines.Add(new("active", "Active", Bool(server.Active)));
        lines.Add(new("disabled", "Disabled", Bool(server.Disabled)));
        lines.Add(new("active_model", "Active configuration model", server.ActiveModel ?? "None"));
        if (!server.IsPassive)
            await BoundedPostgresLinesAsync(server, lines, ct).ConfigureAwait(false);
        lines.Add(new("passive_node", "Passive node", Bool(server.IsPassive)));
        lines.Add(new("retention_policies", "Retention policies", RetentionText.Of(server)));
        BackupLines(server, lines);
        if (server.PrimarySshCommand is { } ssh)
            lines.Add(new("primary_ssh_command", "SSH command to primary server", ssh));
        return lines;
    }

    /// <summary>
    /// Lines 5–13 within <c>check_timeout</c> (0: no limit), so a server that never answers cannot hang status
    /// (Barman's status has no limit): the lines gathered so far stay; none at all gives the FAILED version line.
    /// </summary>
    private static async Task BoundedPostgresLinesAsync(ServerOptions server, List<StatusLine> lines, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (server.CheckTimeout > 0)
            limit.CancelAfter(TimeSpan.FromSeconds(server.CheckTimeout));
        var before = lines.Count;
        try
        {
            await PostgresLinesAsync(server, lines, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (lines.Count == before)
                lines.Add(new("pg_version", "PostgreSQL version", "FAILED trying to get PostgreSQL version"));
        }
    }

    private static async Task PostgresLinesAsync(ServerOptions server, List<StatusLine> lines, CancellationToken ct)
    {
        await using var pg = new PostgresProbe(server.Conninfo, null);
        var client = await pg.NormalAsync(ct).ConfigureAwait(false);
        var version = client is null ? null : await pg.NormalValueAsync("version", (c, t) => c.GetVersionTextAsync(t), ct).ConfigureAwait(false);
        if (client is null || version is null)
        {
            lines.Add(new("pg_version", "PostgreSQL version", "FAILED trying to get PostgreSQL version"));
            return;
        }

        lines.Add(new("pg_version", "PostgreSQL version", version.Split(' ') is { Length: > 1 } words ? words[1] : version));
        var inRecovery = await Try(() => client.IsInRecoveryAsync(ct)).ConfigureAwait(false);
        if (inRecovery is { } recovery)
            lines.Add(new("is_in_recovery", "Cluster state", recovery ? "in archive recovery" : "in production"));
        var privileges = await pg.NormalValueAsync("privileges", (c, t) => c.GetPrivilegesAsync(t), ct).ConfigureAwait(false);
        if (privileges is { HasBackupPrivileges: true })
        {
            if (await Try(() => client.GetDataSizeAsync(ct)).ConfigureAwait(false) is { } size)
                lines.Add(new("current_size", "Current data size", CheckDecisions.PrettySize(size)));
            if (await pg.NormalValueAsync("data_directory", (c, t) => c.ShowAsync("data_directory", t), ct).ConfigureAwait(false) is { } data)
                lines.Add(new("data_directory", "PostgreSQL Data directory", data));
        }

        if (inRecovery == false && await pg.NormalValueAsync("current_wal", (c, t) => c.GetCurrentWalFileAsync(t), ct).ConfigureAwait(false) is { } wal)
            lines.Add(new("current_xlog", "Current WAL segment", wal));
        if (server.Archiver && await pg.NormalValueAsync("archive_mode", (c, t) => c.GetArchiveModeAsync(t), ct).ConfigureAwait(false) is not null)
            await ArchiverLinesAsync(pg, client, lines, ct).ConfigureAwait(false);
    }

    // Lines 10–13.
    private static async Task ArchiverLinesAsync(PostgresProbe pg, PostgresClient client, List<StatusLine> lines, CancellationToken ct)
    {
        var command = await pg.NormalValueAsync("archive_command", (c, t) => c.GetArchiveCommandAsync(t), ct).ConfigureAwait(false) ?? "";
        lines.Add(new("archive_command", "PostgreSQL 'archive_command' setting",
            command.Length == 0 ? "FAILED (please set it accordingly to documentation)" : command));
        var archiver = await pg.NormalValueAsync("archiver", (c, t) => c.GetArchiverStatusAsync(t), ct).ConfigureAwait(false);
        lines.Add(new("last_archived_wal", "Last archived WAL", archiver?.LastArchivedWal is { } last
            ? $"{last}, at {CTime(archiver.LastArchivedTime)}"
            : "No WAL segment shipped yet"));
        if (archiver is null)
            return;
        lines.Add(new("failed_count", "Failures of WAL archiver", archiver.FailedCount > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{archiver.FailedCount} ({archiver.LastFailedWal} at {CTime(archiver.LastFailedTime)})")
            : archiver.FailedCount.ToString(CultureInfo.InvariantCulture)));
        if (await Try(async () => await client.GetArchivedWalsPerSecondAsync(ct).ConfigureAwait(false) ?? 0).ConfigureAwait(false) is { } rate && rate != 0)
            lines.Add(new("server_archived_wals_per_hour", "Server WAL archiving rate", string.Create(CultureInfo.InvariantCulture, $"{rate * 3600:0.00}/hour")));
    }

    // Lines 16–19 (spec: backup-catalog §3–§4).
    private static void BackupLines(ServerOptions server, List<StatusLine> lines)
    {
        var catalog = BackupCatalog.Load(server);
        lines.Add(new("backups_number", "No. of available backups", catalog.DoneCount.ToString(CultureInfo.InvariantCulture)));
        lines.Add(new("first_backup", "First available backup", catalog.FirstAvailable?.Id ?? "None"));
        lines.Add(new("last_backup", "Last available backup", catalog.LastAvailable?.Id ?? "None"));
        var have = catalog.Backups.Count(b => b.Status == BackupStatus.Done && b.ParentBackupId is null);
        var need = Convert.ToInt64(server.Values["minimum_redundancy"] ?? 0L, CultureInfo.InvariantCulture);
        lines.Add(new("minimum_redundancy", "Minimum redundancy requirements",
            string.Create(CultureInfo.InvariantCulture, $"{(have >= need ? "satisfied" : "FAILED")} ({have}/{need})")));
    }

    /// <summary>Python's ctime: <c>Www Mmm dd HH:MM:SS YYYY</c>, day padded with a space, in the value's own offset.</summary>
    internal static string CTime(DateTimeOffset? value) => value is not { } t ? "None" : string.Create(CultureInfo.InvariantCulture,
        $"{t:ddd MMM} {t.Day,2} {t:HH:mm:ss yyyy}");

    private static string Bool(bool value) => value ? "True" : "False";

    private static async Task<T?> Try<T>(Func<Task<T>> query)
        where T : struct
    {
        try
        {
            return await query().ConfigureAwait(false);
        }
        catch (PostgresQueryException)
        {
            return null;
        }
    }
}

using System.Text.Json;
using Barman.Wal.Configuration;
using Barman.Wal.Locking;
using Barman.Wal.Postgres;
using Barman.Wal.Streaming;

namespace Barman.Wal.Checks;

/// <summary>
/// The rows of one server's check that ask PostgreSQL or its client programs (spec: check §4.2–§4.4,
/// §4.10, §4.11; receive-wal §4.1): connection, privileges, streaming, wal_level, standby, replication slot,
/// systemid coherence, pg_receivewal and the file archiver settings. <see cref="ServerCheckRun"/> decides
/// when each runs.
/// </summary>
internal sealed class PostgresChecks(ServerOptions server, CheckStrategy strategy, PostgresProbe pg)
{
    // Rows 6–12.
    public async Task PostgresChecksAsync(CancellationToken ct)
    {
        strategy.Begin("PostgreSQL");
        var client = await pg.NormalAsync(ct).ConfigureAwait(false);
        var ok = client is not null && client.ServerVersionNum >= 90600;
        if (client is null)
            strategy.Result("PostgreSQL", false, CheckDecisions.WithAdvice("",
                $"{pg.NormalError}; check 'conninfo' of {server.Name} and that PostgreSQL is running and reachable"));
        else if (!ok)
            strategy.Result("PostgreSQL", false, CheckDecisions.WithAdvice(
                $"unsupported version: PostgreSQL server is too old ({CheckDecisions.ServerVersionText(client.ServerVersionNum)} < 9.6.0)",
                "upgrade PostgreSQL"));
        else
            strategy.Result("PostgreSQL", true);

        if (client is not null && ok)
        {
            strategy.Begin("superuser or standard user with backup privileges");
            var privileges = await pg.NormalValueAsync("privileges", (c, t) => c.GetPrivilegesAsync(t), ct).ConfigureAwait(false);
            if (privileges is not null)
            {
                if (privileges.HasBackupPrivileges)
                    strategy.Result("superuser or standard user with backup privileges", true);
                else
                    strategy.Result("no access to backup functions", false, CheckDecisions.WithAdvice(
                        "privileges for PostgreSQL backup functions are required (see documentation)",
                        "GRANT pg_monitor and EXECUTE on pg_backup_start, pg_backup_stop, pg_switch_wal and pg_create_restore_point to the conninfo user"));
            }

            if (pg.HasReplicationConninfo)
                await StreamingConnectionAsync(pg, "PostgreSQL streaming", ct).ConfigureAwait(false);

            await WalLevelAsync(pg, "wal_level", printWhenUnreadable: true, ct).ConfigureAwait(false);
            if (server.PrimaryConninfo is not null)
                await StandbyChecksAsync(client, ct).ConfigureAwait(false);
        }

        var overrides = server.GetWalConnectionOverrides();
        if ((server.WalConninfo is not null || server.WalStreamingConninfo is not null) && overrides.Conninfo != server.Conninfo)
        {
            await WalStreamingBlockAsync(overrides, ct).ConfigureAwait(false);
            return;
        }

        if (server.SlotName is not null)
            await ReplicationSlotAsync(pg, "replication slot", ct).ConfigureAwait(false);
    }

    private async Task StreamingConnectionAsync(PostgresProbe probe, string name, CancellationToken ct)
    {
        strategy.Begin(name);
        var id = await probe.IdentifySystemAsync(ct).ConfigureAwait(false);
        if (id is not null)
            strategy.Result(name, true);
        else
            strategy.Result(name, false, CheckDecisions.WithAdvice(probe.ReplicationError ?? "",
                "check 'streaming_conninfo', a 'replication' line in pg_hba.conf and max_wal_senders"));
    }

    private async Task WalLevelAsync(PostgresProbe probe, string name, bool printWhenUnreadable, CancellationToken ct)
    {
        strategy.Begin(name);
        var level = await probe.NormalValueAsync("wal_level", (c, t) => c.GetWalLevelAsync(t), ct).ConfigureAwait(false);
        if (level is null && !printWhenUnreadable)
            return;
        if (level == "minimal")
            strategy.Result(name, false, CheckDecisions.WithAdvice(
                "please set it to a higher level than 'minimal'",
                "ALTER SYSTEM SET wal_level = 'replica' and restart PostgreSQL"));
        else
            strategy.Result(name, true);
    }

    private async Task StandbyChecksAsync(PostgresClient client, CancellationToken ct)
    {
        strategy.Begin("PostgreSQL server is standby");
        var inRecovery = await pg.NormalStructAsync("in_recovery", (c, t) => c.IsInRecoveryAsync(t), ct).ConfigureAwait(false);
        if (inRecovery != true)
        {
            strategy.Result("PostgreSQL server is standby", false, CheckDecisions.WithAdvice(
                "conninfo should point to a standby server if primary_conninfo is set",
                "point conninfo at the standby, or remove primary_conninfo"));
            return;
        }

        strategy.Result("PostgreSQL server is standby", true);
        await using var primary = new PostgresProbe(server.PrimaryConninfo, null);
        strategy.Begin("Primary server is not a standby");
        var primaryInRecovery = await primary.NormalStructAsync("in_recovery", (c, t) => c.IsInRecoveryAsync(t), ct).ConfigureAwait(false);
        if (primaryInRecovery is { } standby)
            strategy.Result("Primary server is not a standby", !standby, standby
                ? CheckDecisions.WithAdvice("primary_conninfo should point to a primary server, not a standby", "point primary_conninfo at the primary")
                : "");
        strategy.Begin("Primary and standby have same system ID");
        var primaryId = await primary.NormalStructAsync("systemid", (c, t) => c.GetSystemIdentifierAsync(t), ct).ConfigureAwait(false);
        var standbyId = await pg.NormalStructAsync("systemid", (c, t) => c.GetSystemIdentifierAsync(t), ct).ConfigureAwait(false);
        if (primaryId is not null && standbyId is not null)
            strategy.Result("Primary and standby have same system ID", primaryId == standbyId, primaryId == standbyId ? "" : CheckDecisions.WithAdvice(
                "primary_conninfo and conninfo should point to primary and standby servers which share the same system identifier",
                "point both at the same cluster"));
    }

    private async Task WalStreamingBlockAsync(WalConnectionOverrides overrides, CancellationToken ct)
    {
        await using var wal = new PostgresProbe(overrides.Conninfo, overrides.StreamingConninfo);
        strategy.Begin("has monitoring privileges (WAL streaming)");
        var privileges = await wal.NormalValueAsync("privileges", (c, t) => c.GetPrivilegesAsync(t), ct).ConfigureAwait(false);
        if (privileges is { HasMonitoringPrivileges: true })
            strategy.Result("has monitoring privileges (WAL streaming)", true);
        else
            strategy.Result("no access to monitoring functions", false, CheckDecisions.WithAdvice(
                "privileges for PostgreSQL monitoring functions are required (see documentation)",
                "GRANT pg_monitor to the wal_conninfo user"));
        await StreamingConnectionAsync(wal, "PostgreSQL streaming (WAL streaming)", ct).ConfigureAwait(false);
        await WalLevelAsync(wal, "wal_level (WAL streaming)", printWhenUnreadable: false, ct).ConfigureAwait(false);
        await SystemIdCoherenceAsync(wal, "systemid coherence (WAL streaming)", ct).ConfigureAwait(false);
        if (server.SlotName is not null)
            await ReplicationSlotAsync(wal, "replication slot (WAL streaming)", ct).ConfigureAwait(false);
    }

    private async Task ReplicationSlotAsync(PostgresProbe probe, string name, CancellationToken ct)
    {
        strategy.Begin(name);
        var slotName = server.SlotName!;
        var slot = await probe.NormalValueAsync("slot", (c, t) => c.GetReplicationSlotAsync(slotName, t), ct).ConfigureAwait(false);
        var verdict = CheckDecisions.ReplicationSlot(server.Name, slotName, server.StreamingArchiver, slot);
        if (verdict is not { } v)
            return;
        var advice = v.Ok ? "" : slot is null
            ? $"or set create_slot = auto"
            : $"start it with 'barman-wal receive-wal {server.Name}'";
        strategy.Result(name, v.Ok, v.Ok ? v.Hint : CheckDecisions.WithAdvice(v.Hint, advice));
    }

    // Row 25 (spec: check §4.10).
    public Task SystemIdCoherenceAsync(CancellationToken ct) => SystemIdCoherenceAsync(pg, "systemid coherence", ct);

    private async Task SystemIdCoherenceAsync(PostgresProbe probe, string name, CancellationToken ct)
    {
        strategy.Begin(name);
        ulong? streamingId = null;
        ulong? normalId = null;
        if (!server.IsPassive)
        {
            if (probe.HasReplicationConninfo)
                streamingId = (await probe.IdentifySystemAsync(ct).ConfigureAwait(false))?.SystemId;
            normalId = await probe.NormalStructAsync("systemid", (c, t) => c.GetSystemIdentifierAsync(t), ct).ConfigureAwait(false);
        }

        var path = Path.Combine(server.BackupDirectory, "identity.json");
        var exists = File.Exists(path);
        var (ok, hint) = CheckDecisions.SystemIdCoherence(streamingId, normalId, path, exists, exists ? ReadStoredSystemId(path) : null);
        strategy.Result(name, ok, ok ? hint : CheckDecisions.WithAdvice(hint,
            "make conninfo and streaming_conninfo point at the cluster this server's backups came from"));
    }

    private static string ReadStoredSystemId(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("systemid", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() ?? "" : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return "";
        }
    }

    // Rows 26–28 (spec: check §3, receive-wal §4.1, §4.2, §9).
    public async Task StreamingArchiverChecksAsync(CancellationToken ct)
    {
        strategy.Begin("pg_receivexlog");
        var directories = PgReceiveWalCommandLine.CandidateDirectories(
            PgReceiveWalCommandLine.SearchPath(server.PathPrefix, Environment.GetEnvironmentVariable("PATH")),
            pathPrefixSet: server.PathPrefix is { Length: > 0 });
        var client = await PgReceiveWalCommandLine.LocateAsync(directories, ct).ConfigureAwait(false);
        strategy.Result("pg_receivexlog", client is not null, client is not null ? "" :
            "install the PostgreSQL client package, or set path_prefix to the directory holding pg_receivewal");
        strategy.Begin("pg_receivexlog compatible");
        var serverVersion = await pg.ServerVersionNumAsync(ct).ConfigureAwait(false);
        var compatible = CheckDecisions.ReceiveWalCompatible(client?.VersionText, serverVersion);
        strategy.Result("pg_receivexlog compatible", compatible, compatible ? "" : CheckDecisions.WithAdvice(
            $"PostgreSQL version: {(serverVersion is { } v ? CheckDecisions.ServerVersionText(v) : "None")}, pg_receivexlog version: {client?.VersionText ?? "None"}",
            serverVersion is null ? "PostgreSQL is unreachable" : "install a pg_receivewal at least as new as the server (path_prefix)"));
        strategy.Begin("receive-wal running");
        var running = LockFile.ProbeOwner(ServerLocks.ReceiveWal(server.BarmanLockDirectory, server.Name)) is not null;
        strategy.Result("receive-wal running", running, running ? "" : CheckDecisions.WithAdvice(
            "See the Barman log file for more details", $"start it with 'barman-wal receive-wal {server.Name}' (cron runs it when configured)"));
    }

    // Rows 29–31 (spec: check §4.11).
    public async Task FileArchiverChecksAsync(CancellationToken ct)
    {
        strategy.Begin("archive_mode");
        var mode = await pg.NormalValueAsync("archive_mode", (c, t) => c.GetArchiveModeAsync(t), ct).ConfigureAwait(false);
        if (mode is null)
            return;
        strategy.Result("archive_mode", CheckDecisions.ArchiveModeOk(mode), CheckDecisions.ArchiveModeOk(mode) ? "" : CheckDecisions.WithAdvice(
            "please set it to 'on' or 'always'", "ALTER SYSTEM SET archive_mode = 'on' and restart PostgreSQL"));
        strategy.Begin("archive_command");
        var command = await pg.NormalValueAsync("archive_command", (c, t) => c.GetArchiveCommandAsync(t), ct).ConfigureAwait(false);
        if (command is null)
            return;
        var commandOk = CheckDecisions.ArchiveCommandOk(command);
        strategy.Result("archive_command", commandOk, commandOk ? "" : CheckDecisions.WithAdvice(
            "please set it accordingly to documentation",
            $"e.g. ALTER SYSTEM SET archive_command = 'barman-wal-archive ... or rsync -a %p barman@host:{server.IncomingWalsDirectory}/%f' and reload"));
        if (!commandOk)
            return;
        strategy.Begin("continuous archiving");
        var status = await pg.NormalValueAsync("archiver_status", (c, t) => c.GetArchiverStatusAsync(t), ct).ConfigureAwait(false);
        if (status?.IsArchiving is not { } archiving)
            return;
        strategy.Result("continuous archiving", archiving, archiving ? "" : CheckDecisions.WithAdvice("",
            $"archive_command is failing (last failed WAL: {status.LastFailedWal ?? "unknown"}); see the PostgreSQL log"));
    }
}

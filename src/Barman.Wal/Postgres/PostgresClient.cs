using System.Globalization;
using Npgsql;

namespace Barman.Wal.Postgres;

/// <summary>
/// A normal (non-replication) connection to the PostgreSQL server of a Barman server, with the
/// status queries archive-wal, receive-wal and check need. Every failure is a one-line
/// <see cref="PostgresConnectionException"/> or <see cref="PostgresQueryException"/>.
/// </summary>
public sealed class PostgresClient : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlConnectionStringBuilder _target;

    private PostgresClient(NpgsqlConnection connection, NpgsqlConnectionStringBuilder target, int serverVersionNum, string serverVersion)
    {
        _connection = connection;
        _target = target;
        ServerVersionNum = serverVersionNum;
        ServerVersion = serverVersion;
    }

    /// <summary>server_version_num, e.g. 150018.</summary>
    public int ServerVersionNum { get; }

    /// <summary>server_version as the server shows it, e.g. <c>15.18 (Debian 15.18-0+deb12u1)</c>.</summary>
    public string ServerVersion { get; }

    /// <summary>
    /// Connects within <paramref name="timeout"/>. <c>application_name</c> is
    /// <paramref name="defaultApplicationName"/> unless the conninfo (or PGAPPNAME) sets one.
    /// </summary>
    /// <exception cref="PostgresConnectionException">Unreachable, refused, timed out or bad login.</exception>
    public static async Task<PostgresClient> OpenAsync(
        ConnInfo connInfo,
        TimeSpan timeout,
        string defaultApplicationName = "barman",
        IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connInfo);
        var builder = connInfo.ToNpgsql(environment);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = defaultApplicationName;
        }

        PostgresConnectionOpener.ApplyTimeout(builder, timeout);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await PostgresConnectionOpener.OpenAsync(builder, timeout, connection.OpenAsync, connection, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT current_setting('server_version_num')::int, current_setting('server_version')", connection);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresClient(connection, builder, reader.GetInt32(0), reader.GetString(1));
        }
        catch (Exception e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw PostgresErrors.Connection(builder, e);
        }
    }

    /// <summary><c>SHOW &lt;name&gt;</c>.</summary>
    public Task<string> ShowAsync(string name, CancellationToken cancellationToken = default)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
        {
            throw new ArgumentException($"not a setting name: {name}", nameof(name));
        }

        return ScalarAsync<string>($"SHOW {name}", $"SHOW {name}", cancellationToken);
    }

    /// <summary>SHOW wal_level.</summary>
    public Task<string> GetWalLevelAsync(CancellationToken cancellationToken = default) => ShowAsync("wal_level", cancellationToken);

    /// <summary>SHOW archive_mode.</summary>
    public Task<string> GetArchiveModeAsync(CancellationToken cancellationToken = default) => ShowAsync("archive_mode", cancellationToken);

    /// <summary>SHOW archive_command (<c>(disabled)</c> when archive_mode is off).</summary>
    public Task<string> GetArchiveCommandAsync(CancellationToken cancellationToken = default) => ShowAsync("archive_command", cancellationToken);

    /// <summary>SHOW synchronous_standby_names.</summary>
    public Task<string> GetSynchronousStandbyNamesAsync(CancellationToken cancellationToken = default) =>
        ShowAsync("synchronous_standby_names", cancellationToken);

    /// <summary>wal_segment_size in bytes (from pg_settings, ×wal_block_size before PostgreSQL 11).</summary>
    public async Task<long> GetWalSegmentSizeAsync(CancellationToken cancellationToken = default)
    {
        var sql = ServerVersionNum >= 110000
            ? "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'"
            : "SELECT s.setting::bigint * b.setting::bigint FROM pg_settings s, pg_settings b WHERE s.name = 'wal_segment_size' AND b.name = 'wal_block_size'";
        return await ScalarAsync<long>(sql, "reading wal_segment_size", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the connected role is a superuser.</summary>
    public Task<bool> IsSuperuserAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<bool>("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", "reading role attributes", cancellationToken);

    /// <summary>The role's superuser flag, monitoring role memberships and backup function privileges.</summary>
    public async Task<RolePrivileges> GetPrivilegesAsync(CancellationToken cancellationToken = default)
    {
        var backupFunctions = ServerVersionNum switch
        {
            >= 150000 => "has_function_privilege(current_user, 'pg_backup_start(text,bool)', 'EXECUTE') AND " +
                         "has_function_privilege(current_user, 'pg_backup_stop(bool)', 'EXECUTE')",
            >= 100000 => "has_function_privilege(current_user, 'pg_start_backup(text,bool,bool)', 'EXECUTE') AND " +
                         "(has_function_privilege(current_user, 'pg_stop_backup()', 'EXECUTE') OR " +
                         "has_function_privilege(current_user, 'pg_stop_backup(bool,bool)', 'EXECUTE'))",
            _ => "false",
        };
        var sql = ServerVersionNum >= 100000
            ? $"""
               SELECT r.rolsuper,
                      pg_has_role(current_user, 'pg_monitor', 'MEMBER'),
                      pg_has_role(current_user, 'pg_read_all_settings', 'MEMBER'),
                      pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER'),
                      {(ServerVersionNum >= 150000 ? "pg_has_role(current_user, 'pg_checkpoint', 'MEMBER')" : "false")},
                      {backupFunctions}
                      AND has_function_privilege(current_user, 'pg_switch_wal()', 'EXECUTE')
                      AND has_function_privilege(current_user, 'pg_create_restore_point(text)', 'EXECUTE')
               FROM pg_roles r WHERE r.rolname = current_user
               """
            : "SELECT r.rolsuper, false, false, false, false, false FROM pg_roles r WHERE r.rolname = current_user";
        return await QueryAsync(sql, "reading role privileges", r => new RolePrivileges(
            r.GetBoolean(0), r.GetBoolean(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4), r.GetBoolean(5)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>pg_stat_archiver with Barman's continuous-archiving expression.</summary>
    public Task<ArchiverStatus> GetArchiverStatusAsync(CancellationToken cancellationToken = default)
    {
        const string Sql = """
            SELECT archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal, last_failed_time, stats_reset,
                   current_setting('archive_mode') IN ('on', 'always')
                   AND (last_failed_wal IS NULL
                        OR (last_failed_wal LIKE '%.history'
                            AND substring(last_failed_wal FROM 1 FOR 8) <= substring(last_archived_wal FROM 1 FOR 8))
                        OR last_failed_time <= last_archived_time)
            FROM pg_stat_archiver
            """;
        return QueryAsync(Sql, "reading pg_stat_archiver", r => new ArchiverStatus(
            r.GetInt64(0),
            r.IsDBNull(1) ? null : r.GetString(1),
            r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2),
            r.GetInt64(3),
            r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
            r.IsDBNull(7) ? null : r.GetBoolean(7)), cancellationToken);
    }

    /// <summary><c>SELECT version()</c>, e.g. <c>PostgreSQL 15.18 (Debian …) on x86_64…</c>.</summary>
    public Task<string> GetVersionTextAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<string>("SELECT version()", "reading version()", cancellationToken);

    /// <summary>The size of every tablespace in bytes (status's <c>Current data size</c>).</summary>
    public Task<long> GetDataSizeAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<long>("SELECT coalesce(sum(pg_tablespace_size(oid)), 0)::bigint FROM pg_tablespace", "reading the data size", cancellationToken);

    /// <summary>Archived WAL files per second since the archiver statistics were reset (null before any).</summary>
    public Task<double?> GetArchivedWalsPerSecondAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT (CAST(archived_count AS NUMERIC) / NULLIF(EXTRACT(EPOCH FROM age(now(), stats_reset)), 0))::float8 FROM pg_stat_archiver",
            "reading the archiving rate", r => r.IsDBNull(0) ? (double?)null : r.GetDouble(0), cancellationToken);

    /// <summary>pg_is_in_recovery().</summary>
    public Task<bool> IsInRecoveryAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<bool>("SELECT pg_is_in_recovery()", "reading pg_is_in_recovery()", cancellationToken);

    /// <summary>The current WAL location and file (see <see cref="WalPosition"/>).</summary>
    public Task<WalPosition> GetCurrentWalPositionAsync(CancellationToken cancellationToken = default)
    {
        const string Sql = """
            SELECT CASE WHEN pg_is_in_recovery() THEN coalesce(pg_last_wal_replay_lsn(), '0/0'::pg_lsn) ELSE pg_current_wal_lsn() END::text,
                   CASE WHEN pg_is_in_recovery() THEN NULL ELSE (pg_walfile_name_offset(pg_current_wal_lsn())).file_name END,
                   pg_is_in_recovery()
            """;
        return QueryAsync(Sql, "reading the current WAL position",
            r => new WalPosition(PostgresLsn.Parse(r.GetString(0)), r.IsDBNull(1) ? null : r.GetString(1), r.GetBoolean(2)), cancellationToken);
    }

    /// <summary>pg_walfile_name(pg_current_wal_lsn()): the WAL file being written (fails on a standby).</summary>
    public Task<string> GetCurrentWalFileAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<string>("SELECT pg_walfile_name(pg_current_wal_lsn())", "reading the current WAL file", cancellationToken);

    /// <summary>Runs pg_switch_wal() (needs backup privileges).</summary>
    public async Task<WalSwitchResult> SwitchWalAsync(CancellationToken cancellationToken = default)
    {
        // pg_switch_wal() returns a location inside the closed segment (or, with nothing to
        // switch, the start of the current one, whose "previous segment" name is the last closed).
        const string Sql = """
            WITH before AS (SELECT pg_current_wal_insert_lsn() AS lsn),
                 switch AS (SELECT pg_switch_wal() AS lsn FROM before)
            SELECT pg_walfile_name(switch.lsn), pg_current_wal_insert_lsn() <> before.lsn FROM switch, before
            """;
        return await QueryAsync(Sql, "pg_switch_wal()", r => new WalSwitchResult(r.GetString(0), r.GetBoolean(1)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The physical slot <paramref name="slotName"/>, or null when it does not exist.</summary>
    public async Task<ReplicationSlotInfo?> GetReplicationSlotAsync(string slotName, CancellationToken cancellationToken = default)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT slot_name::text, active, restart_lsn::text FROM pg_replication_slots WHERE slot_type = 'physical' AND slot_name = $1", _connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = slotName });
        try
        {
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new ReplicationSlotInfo(r.GetString(0), r.GetBoolean(1), r.IsDBNull(2) ? null : PostgresLsn.Parse(r.GetString(2)));
        }
        catch (Exception e) when (IsQueryFailure(e))
        {
            throw PostgresErrors.Query("reading pg_replication_slots", e);
        }
    }

    /// <summary>pg_control_system().system_identifier.</summary>
    public async Task<ulong> GetSystemIdentifierAsync(CancellationToken cancellationToken = default) =>
        ulong.Parse(
            await ScalarAsync<string>("SELECT system_identifier::text FROM pg_control_system()", "reading pg_control_system()", cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<T> ScalarAsync<T>(string sql, string what, CancellationToken cancellationToken) =>
        await QueryAsync(sql, what, r => r.GetFieldValue<T>(0), cancellationToken).ConfigureAwait(false);

    private async Task<T> QueryAsync<T>(string sql, string what, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var cmd = new NpgsqlCommand(sql, _connection);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new PostgresQueryException($"{what} failed: no row returned", null, "no row returned");
            }

            return read(reader);
        }
        catch (Exception e) when (IsQueryFailure(e))
        {
            throw PostgresErrors.Query(what, e);
        }
    }

    private static bool IsQueryFailure(Exception e) => e is NpgsqlException or InvalidCastException or IOException;
}

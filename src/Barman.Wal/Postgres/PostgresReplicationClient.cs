using Npgsql;
using Npgsql.Replication;

namespace Barman.Wal.Postgres;

/// <summary>
/// A physical replication connection (<c>streaming_conninfo</c>): IDENTIFY_SYSTEM and physical
/// slot creation and removal, as receive-wal and check use them.
/// </summary>
public sealed class PostgresReplicationClient : IAsyncDisposable
{
    private readonly PhysicalReplicationConnection _connection;

    private PostgresReplicationClient(PhysicalReplicationConnection connection) => _connection = connection;

    /// <summary>The server version, e.g. 15.18.</summary>
    public Version ServerVersion => _connection.PostgreSqlVersion;

    /// <summary>server_version_num computed from <see cref="ServerVersion"/> (e.g. 150018; 90624 for 9.6.24).</summary>
    public int ServerVersionNum => ServerVersion.Major >= 10
        ? (ServerVersion.Major * 10000) + Math.Max(ServerVersion.Minor, 0)
        : (ServerVersion.Major * 10000) + (Math.Max(ServerVersion.Minor, 0) * 100) + Math.Max(ServerVersion.Build, 0);

    /// <summary>
    /// Opens a replication connection within <paramref name="timeout"/>; <c>application_name</c>
    /// is <paramref name="defaultApplicationName"/> unless the conninfo sets one.
    /// </summary>
    /// <exception cref="PostgresConnectionException">Unreachable, refused (e.g. no replication entry in pg_hba.conf), timed out.</exception>
    public static async Task<PostgresReplicationClient> OpenAsync(
        ConnInfo connInfo,
        TimeSpan timeout,
        string defaultApplicationName = "barman",
        IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connInfo);
        var builder = connInfo.With("replication", null).ToNpgsql(environment);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = defaultApplicationName;
        }

        PostgresConnectionOpener.ApplyTimeout(builder, timeout);
        var connection = new PhysicalReplicationConnection(builder.ConnectionString);
        await PostgresConnectionOpener.OpenAsync(builder, timeout, ct => connection.Open(ct), connection, cancellationToken).ConfigureAwait(false);
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            connection.CommandTimeout = timeout;
        }

        return new PostgresReplicationClient(connection);
    }

    /// <summary>IDENTIFY_SYSTEM.</summary>
    public async Task<SystemIdentification> IdentifySystemAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var id = await _connection.IdentifySystem(cancellationToken).ConfigureAwait(false);
            return new SystemIdentification(ulong.Parse(id.SystemId, System.Globalization.CultureInfo.InvariantCulture), id.Timeline, (ulong)id.XLogPos, id.DbName);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            throw PostgresErrors.Query("IDENTIFY_SYSTEM", e);
        }
    }

    /// <summary>CREATE_REPLICATION_SLOT &lt;name&gt; PHYSICAL, without reserving WAL (restart_lsn stays null).</summary>
    /// <exception cref="PostgresQueryException">SqlState 42710 when it exists, 53400 when all slots are in use.</exception>
    public async Task CreatePhysicalSlotAsync(string slotName, CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.CreateReplicationSlot(slotName, isTemporary: false, reserveWal: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            throw PostgresErrors.Query($"creating replication slot '{slotName}'", e);
        }
    }

    /// <summary>DROP_REPLICATION_SLOT &lt;name&gt;.</summary>
    /// <exception cref="PostgresQueryException">SqlState 42704 when it does not exist, 55006 when it is in use.</exception>
    public async Task DropSlotAsync(string slotName, CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.DropReplicationSlot(slotName, wait: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            throw PostgresErrors.Query($"dropping replication slot '{slotName}'", e);
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

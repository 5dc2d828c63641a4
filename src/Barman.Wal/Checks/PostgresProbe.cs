using Barman.Wal.Errors;
using Barman.Wal.Postgres;

namespace Barman.Wal.Checks;

/// <summary>
/// One server's PostgreSQL connections for a check run: opened lazily, once, and reused; every
/// status value is queried at most once (spec: check §2). Failures become null values plus a reason.
/// </summary>
internal sealed class PostgresProbe(string? conninfo, string? streamingConninfo) : IAsyncDisposable
{
    private readonly Dictionary<string, object?> _cache = new(StringComparer.Ordinal);
    private PostgresClient? _normal;
    private PostgresReplicationClient? _replication;
    private bool _normalTried;
    private bool _replicationTried;

    /// <summary>Why the normal connection failed (one line), or null.</summary>
    public string? NormalError { get; private set; }

    /// <summary>Why the replication connection failed (one line), or null.</summary>
    public string? ReplicationError { get; private set; }

    /// <summary>Whether a replication connection is configured.</summary>
    public bool HasReplicationConninfo => streamingConninfo is not null;

    /// <summary>The normal connection, or null when it cannot be opened.</summary>
    public async Task<PostgresClient?> NormalAsync(CancellationToken cancellationToken)
    {
        if (_normalTried)
            return _normal;
        _normalTried = true;
        if (conninfo is null)
        {
            NormalError = "conninfo is not set";
            return null;
        }

        (_normal, NormalError) = await TryOpenAsync(() => PostgresClient.OpenAsync(ConnInfo.Parse(conninfo), Timeout.InfiniteTimeSpan, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return _normal;
    }

    /// <summary>The replication connection, or null when unset or it cannot be opened.</summary>
    public async Task<PostgresReplicationClient?> ReplicationAsync(CancellationToken cancellationToken)
    {
        if (_replicationTried)
            return _replication;
        _replicationTried = true;
        if (streamingConninfo is null)
            return null;
        (_replication, ReplicationError) = await TryOpenAsync(() => PostgresReplicationClient.OpenAsync(ConnInfo.Parse(streamingConninfo), Timeout.InfiniteTimeSpan, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return _replication;
    }

    /// <summary>Opens a connection; a failure gives null and its one-line reason.</summary>
    private static async Task<(T? Client, string? Error)> TryOpenAsync<T>(Func<Task<T>> open)
        where T : class
    {
        try
        {
            return (await open().ConfigureAwait(false), null);
        }
        catch (PostgresConnectionException e)
        {
            return (null, e.Reason);
        }
        catch (BarmanWalException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>A value from the normal connection, cached; null when the connection or the query fails.</summary>
    public Task<T?> NormalValueAsync<T>(string key, Func<PostgresClient, CancellationToken, Task<T>> query, CancellationToken cancellationToken)
        where T : class? =>
        CachedAsync(key, async ct => await NormalAsync(ct).ConfigureAwait(false) is { } client ? await query(client, ct).ConfigureAwait(false) : null, cancellationToken);

    /// <summary>A struct value from the normal connection, cached; null when it fails.</summary>
    public Task<T?> NormalStructAsync<T>(string key, Func<PostgresClient, CancellationToken, Task<T>> query, CancellationToken cancellationToken)
        where T : struct =>
        CachedStructAsync(key, async ct => await NormalAsync(ct).ConfigureAwait(false) is { } client ? await query(client, ct).ConfigureAwait(false) : (T?)null, cancellationToken);

    /// <summary>IDENTIFY_SYSTEM on the replication connection, cached; null when it fails.</summary>
    public Task<SystemIdentification?> IdentifySystemAsync(CancellationToken cancellationToken) =>
        CachedAsync("identify_system", async ct => await ReplicationAsync(ct).ConfigureAwait(false) is { } client
            ? await client.IdentifySystemAsync(ct).ConfigureAwait(false)
            : null, cancellationToken);

    /// <summary>The server_version_num from the normal connection, else from the replication connection.</summary>
    public async Task<int?> ServerVersionNumAsync(CancellationToken cancellationToken)
    {
        if (await NormalAsync(cancellationToken).ConfigureAwait(false) is { } normal)
            return normal.ServerVersionNum;
        return await ReplicationAsync(cancellationToken).ConfigureAwait(false) is { } replication ? replication.ServerVersionNum : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_normal is not null)
            await _normal.DisposeAsync().ConfigureAwait(false);
        if (_replication is not null)
            await _replication.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<T?> CachedAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class? =>
        (T?)await CachedObjectAsync(key, async ct => await load(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<T?> CachedStructAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : struct =>
        (T?)await CachedObjectAsync(key, async ct => await load(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Loads a value once per key; a failed query is cached as null.</summary>
    private async Task<object?> CachedObjectAsync(string key, Func<CancellationToken, Task<object?>> load, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out var cached))
            return cached;
        object? value;
        try
        {
            value = await load(cancellationToken).ConfigureAwait(false);
        }
        catch (BarmanWalException)
        {
            value = null;
        }

        _cache[key] = value;
        return value;
    }
}

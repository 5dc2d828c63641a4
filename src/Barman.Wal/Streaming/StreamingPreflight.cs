using System.Globalization;
using System.Text.Json;
using Barman.Wal.Configuration;
using Barman.Wal.Postgres;
using Serilog;

namespace Barman.Wal.Streaming;

/// <summary>
/// The silent pre-flight of receive-wal (spec: receive-wal §3.1): monitoring privileges, replication
/// connection, wal_level and system id coherence. Failures are only logged.
/// </summary>
internal static class StreamingPreflight
{
    /// <summary>True when all four checks pass; <paramref name="client"/> and <paramref name="replication"/> may be null (failed to connect).</summary>
    public static async Task<bool> PassesAsync(
        ServerOptions server, PostgresClient? client, PostgresReplicationClient? replication, ILogger logger, CancellationToken cancellationToken)
    {
        var passed = true;
        void Fail(string check)
        {
            logger.Error("Check '{Check}' failed for server '{Server}'", check, server.Name);
            passed = false;
        }

        var monitoring = false;
        if (client is not null)
        {
            try
            {
                monitoring = (await client.GetPrivilegesAsync(cancellationToken).ConfigureAwait(false)).HasMonitoringPrivileges;
            }
            catch (PostgresQueryException e)
            {
                logger.Warning("Reading privileges of server {Server} failed: {Message}", server.Name, e.Message);
            }
        }

        if (!monitoring)
            Fail("no access to monitoring functions");

        SystemIdentification? identity = null;
        if (replication is not null)
        {
            try
            {
                identity = await replication.IdentifySystemAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresQueryException e)
            {
                logger.Warning("IDENTIFY_SYSTEM on server {Server} failed: {Message}", server.Name, e.Message);
            }
        }

        if (identity is null)
            Fail("PostgreSQL streaming (WAL streaming)");

        if (client is not null)
        {
            try
            {
                if (await client.GetWalLevelAsync(cancellationToken).ConfigureAwait(false) == "minimal")
                    Fail("wal_level (WAL streaming)");
            }
            catch (PostgresQueryException)
            {
                // A failed query counts as a pass, as in Barman.
            }
        }

        if (!await SystemIdCoherentAsync(server, client, identity, logger, cancellationToken).ConfigureAwait(false))
            Fail("systemid coherence (WAL streaming)");
        return passed;
    }

    private static async Task<bool> SystemIdCoherentAsync(
        ServerOptions server, PostgresClient? client, SystemIdentification? identity, ILogger logger, CancellationToken cancellationToken)
    {
        ulong? normal = null;
        if (client is not null)
        {
            try
            {
                normal = await client.GetSystemIdentifierAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresQueryException e)
            {
                logger.Warning("Reading the system identifier of server {Server} failed: {Message}", server.Name, e.Message);
            }
        }

        var streaming = identity?.SystemId;
        if (normal is not null && streaming is not null && normal != streaming)
            return false;
        var stored = ReadStoredSystemId(Path.Combine(server.BackupDirectory, "identity.json"));
        var live = streaming ?? normal;
        return stored is null || live is null || stored == live.Value.ToString(CultureInfo.InvariantCulture);
    }

    private static string? ReadStoredSystemId(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("systemid", out var id) ? id.ToString() : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

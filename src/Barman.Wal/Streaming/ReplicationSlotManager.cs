using Barman.Wal.Configuration;
using Barman.Wal.Output;
using Barman.Wal.Postgres;
using Serilog;

namespace Barman.Wal.Streaming;

/// <summary>
/// <c>--create-slot</c> / <c>--drop-slot</c> (spec: receive-wal §8): CREATE_REPLICATION_SLOT &lt;slot&gt;
/// PHYSICAL (no WAL reserved) and DROP_REPLICATION_SLOT over the replication connection, with Barman's
/// checks and lines. Errors are printed, not thrown, so receive-wal can go on after a failed auto-creation.
/// </summary>
public sealed class ReplicationSlotManager(BarmanOutput output, ILogger logger)
{
    /// <summary>Creates the server's slot; true on success (or an existing slot with <paramref name="ifNotExists"/>).</summary>
    public async Task<bool> CreateAsync(ServerOptions server, string? streamingConninfo, bool ifNotExists, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(server, streamingConninfo, "create", cancellationToken).ConfigureAwait(false);
        if (connection is null)
            return false;
        var slot = server.SlotName!;
        output.Info($"Creating physical replication slot '{slot}' on server '{server.Name}'");
        try
        {
            await connection.CreatePhysicalSlotAsync(slot, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresQueryException e)
        {
            logger.Information("Creating replication slot {Slot} on server {Server} failed: {Message}", slot, server.Name, e.Message);
            switch (e.SqlState)
            {
                case "42710" when ifNotExists:
                    output.Info($"Replication slot '{slot}' already exists and --if-not-exists was specified. Skipping creation");
                    return true;
                case "42710":
                    output.Error($"Replication slot '{slot}' already exists");
                    return false;
                case "53400":
                    output.Error($"All replication slots for server '{server.Name}' are in use\n" +
                                 "Free one or increase the max_replication_slots value on your PostgreSQL server.");
                    return false;
                default:
                    output.Error($"Cannot create replication slot '{slot}' on server '{server.Name}': {e.ServerMessage}");
                    return false;
            }
        }

        output.Info($"Replication slot '{slot}' created");
        return true;
    }

    /// <summary>Drops the server's slot; true on success.</summary>
    public async Task<bool> DropAsync(ServerOptions server, string? streamingConninfo, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(server, streamingConninfo, "drop", cancellationToken).ConfigureAwait(false);
        if (connection is null)
            return false;
        var slot = server.SlotName!;
        output.Info($"Dropping physical replication slot '{slot}' on server '{server.Name}'");
        try
        {
            await connection.DropSlotAsync(slot, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresQueryException e)
        {
            logger.Information("Dropping replication slot {Slot} on server {Server} failed: {Message}", slot, server.Name, e.Message);
            output.Error(e.SqlState switch
            {
                "42704" => $"Replication slot '{slot}' does not exist",
                "55006" => $"Cannot drop replication slot '{slot}' on server '{server.Name}' because it is in use.",
                _ => $"Cannot drop replication slot '{slot}' on server '{server.Name}': {e.ServerMessage}",
            });
            return false;
        }

        output.Info($"Replication slot '{slot}' dropped");
        return true;
    }

    private async Task<PostgresReplicationClient?> OpenAsync(ServerOptions server, string? streamingConninfo, string verb, CancellationToken cancellationToken)
    {
        var configured = streamingConninfo is not null && (server.StreamingArchiver || server.BackupMethod == "postgres");
        if (!configured)
        {
            output.Error($"Unable to {verb} a physical replication slot: streaming connection not configured");
            return null;
        }

        PostgresReplicationClient connection;
        try
        {
            connection = await PostgresReplicationClient.OpenAsync(
                ConnInfo.Parse(streamingConninfo!), TimeSpan.FromSeconds(server.CheckTimeout), "barman", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PostgresConnectionException or ConnInfoException)
        {
            logger.Error("Cannot connect to server {Server} (streaming connection): {Message}", server.Name, e.Message);
            output.Error($"Cannot connect to server '{server.Name}'");
            return null;
        }

        var major = PgReceiveWalCommandLine.ServerMajor(connection.ServerVersionNum);
        string? problem = null;
        if (major < new Version(9, 4))
            problem = $"not supported by '{FormatMajor(major)}' (9.4 or higher is required)";
        else if (string.IsNullOrEmpty(server.SlotName))
            problem = "slot_name configuration option required";
        if (problem is null)
            return connection;

        await connection.DisposeAsync().ConfigureAwait(false);
        output.Error($"Unable to {verb} a physical replication slot: {problem}");
        return null;
    }

    private static string FormatMajor(Version major) => major.Major >= 10 ? major.Major.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{major.Major}.{major.Minor}";
}

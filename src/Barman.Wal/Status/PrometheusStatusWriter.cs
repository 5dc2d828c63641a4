using System.Globalization;
using System.Text;

namespace Barman.Wal.Status;

/// <summary>
/// <c>status --prometheus</c>: node_exporter textfile-collector format, one gauge family per metric (HELP and
/// TYPE once), one sample per server labelled <c>server="&lt;name&gt;"</c>, names prefixed <c>barman_wal_</c>.
/// A value that does not exist (no WAL archived yet, empty queue) is left out rather than invented.
/// </summary>
public static class PrometheusStatusWriter
{
    private sealed record Metric(string Name, string Help, Func<ServerWalStatus, double?> Value);

    private static readonly Metric[] Metrics =
    [
        new("barman_wal_incoming_queue_files", "WAL files waiting in the incoming directory.", s => s.Incoming.Files),
        new("barman_wal_incoming_queue_bytes", "Bytes waiting in the incoming directory.", s => s.Incoming.Bytes),
        new("barman_wal_incoming_oldest_age_seconds", "Age of the oldest file in the incoming directory.", s => s.Incoming.OldestAge?.TotalSeconds),
        new("barman_wal_streaming_queue_files", "WAL files waiting in the streaming directory (not the .partial).", s => s.Streaming.Files),
        new("barman_wal_streaming_queue_bytes", "Bytes waiting in the streaming directory.", s => s.Streaming.Bytes),
        new("barman_wal_streaming_oldest_age_seconds", "Age of the oldest file in the streaming directory.", s => s.Streaming.OldestAge?.TotalSeconds),
        new("barman_wal_last_archived_age_seconds", "Seconds since the catalog time of the last archived WAL.", s => s.LastArchivedAge?.TotalSeconds),
        new("barman_wal_last_archived_timestamp_seconds", "Catalog time of the last archived WAL (Unix time).", s => s.LastArchived?.Time),
        new("barman_wal_catalog_timelines", "Timelines with segments in the catalog.", s => s.Timelines.Count),
        new("barman_wal_errors_files", "Entries in the errors directory.", s => s.ErrorFiles),
        new("barman_wal_receive_wal_up", "1 when receive-wal holds its lock, else 0.", s => s.ReceiveWalPid is null ? 0 : 1),
        new("barman_wal_catalog_readable", "1 when the WAL catalog could be read, else 0.", s => s.CatalogProblem is null ? 1 : 0),
    ];

    /// <summary>Renders the gauges of <paramref name="servers"/> (LF line endings, trailing newline).</summary>
    public static string Render(IEnumerable<ServerWalStatus> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var list = servers.ToList();
        var text = new StringBuilder();
        foreach (var metric in Metrics)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {metric.Name} {metric.Help}\n# TYPE {metric.Name} gauge\n");
            foreach (var server in list)
            {
                if (metric.Value(server) is { } value)
                    text.Append(CultureInfo.InvariantCulture, $"{metric.Name}{{server=\"{Escape(server.Server)}\"}} {Format(value)}\n");
            }
        }

        return text.ToString();
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Label value escaping of the text format: backslash, double quote, newline.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Streaming;
using Barman.Wal.Xlog;

namespace Barman.Wal.Status;

/// <summary>Gathers a <see cref="ServerWalStatus"/> from a server's directories, catalog and locks.</summary>
public static class WalStatusCollector
{
    /// <summary>Collects the status of <paramref name="server"/> as of <paramref name="clock"/>'s now.</summary>
    public static async Task<ServerWalStatus> CollectAsync(ServerOptions server, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        IReadOnlyList<WalFileInfo> catalog = [];
        string? problem = null;
        try
        {
            catalog = await CatalogSnapshot.ReadAsync(server, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XlogDbFormatException or IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
        }

        var last = catalog.Count > 0 ? catalog[^1] : null;
        var errors = new DirectoryInfo(server.ErrorsDirectory);
        return new ServerWalStatus(
            server.Name,
            QueueStatus.Measure(server.IncomingWalsDirectory, streaming: false, now),
            QueueStatus.Measure(server.StreamingWalsDirectory, streaming: true, now),
            last,
            last is null ? null : now - last.Timestamp,
            Timelines(catalog),
            errors.Exists ? errors.EnumerateFileSystemInfos().Count() : 0,
            ReceiveWalLock.ProbeOwner(server.BarmanLockDirectory, server.Name),
            problem);
    }

    /// <summary>First/last plain segment per timeline, by name.</summary>
    internal static IReadOnlyList<TimelineRange> Timelines(IEnumerable<WalFileInfo> catalog)
    {
        var segments = catalog
            .Select(w => WalName.TryParse(w.Name, out var n) && n.Kind == WalFileKind.Segment ? n : null)
            .OfType<WalName>();
        return [.. segments.GroupBy(n => n.Timeline).OrderBy(g => g.Key).Select(g =>
        {
            var names = g.Select(n => n.Name).Order(StringComparer.Ordinal).ToList();
            return new TimelineRange(g.Key, names[0], names[^1], names.Count);
        })];
    }
}

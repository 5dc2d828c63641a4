using Barman.Wal.Archiving;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Hosting;
using Barman.Wal.Output;
using Barman.Wal.Storage;
using Barman.Wal.Xlog;
using Serilog;

namespace Barman.Wal.Catalog;

/// <summary>
/// <c>rebuild-xlogdb SERVER...|all</c> (spec: rebuild-xlogdb): the catalog re-derived from what is stored, through
/// the storage strategy's read side (local or cloud), with Barman's lines, counters, log warnings and exit codes.
/// Unlike Barman, the new catalog is written to a temporary file and renamed over the old one only when the walk
/// is complete: a failure or a crash leaves the old catalog, never an empty one.
/// </summary>
public sealed class RebuildXlogDbService(BarmanConfiguration configuration, ServerStorageFactory storages, BarmanOutput output, ILogger logger)
{
    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.xlog");

    /// <summary>Rebuilds every requested server once, in name order; the highest exit code wins.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> servers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var names = servers.Count == 1 && servers[0] == "all" ? servers : [.. servers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var selection = ServerSelection.Resolve(configuration, names, output);
        var exitCode = selection.ExitCode;
        foreach (var server in selection.Servers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.Info($"Rebuilding xlogdb for server {server.Name}");
            try
            {
                var counts = await RebuildAsync(server, cancellationToken).ConfigureAwait(false);
                output.Info($"Done rebuilding xlogdb for server {server.Name} (history: {counts.History}, backup_labels: {counts.BackupLabels}, wal_file: {counts.WalFiles})");
            }
            catch (Exception e) when (e is BarmanWalException or IOException or UnauthorizedAccessException)
            {
                output.Exception(ExceptionText.Of(e));
                _log.Error(e, "{Message}", ExceptionText.Of(e));
                exitCode = ExitCodes.Failure;
            }
        }

        return exitCode;
    }

    /// <summary>Rebuilds one server's catalog under the catalog lock; returns Barman's three counters.</summary>
    public async Task<(int History, int BackupLabels, int WalFiles)> RebuildAsync(ServerOptions server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var storage = storages.Create(server);
        using var session = await storage.Catalog.OpenAsync(rebuildIfMissing: false, cancellationToken).ConfigureAwait(false);
        var catalogName = Path.GetFileName(session.Location.Path);
        var lines = new List<WalFileInfo>();
        int history = 0, labels = 0, wals = 0;
        await foreach (var stored in storage.Strategy.ListStoredAsync(cancellationToken).ConfigureAwait(false))
        {
            var kind = Classify(stored, catalogName);
            if (kind is null)
                continue;
            if (await storage.Strategy.DescribeStoredAsync(stored.Name, cancellationToken).ConfigureAwait(false) is not { } wal)
                throw new FileNotFoundException($"[Errno 2] No such file or directory: '{stored.Location}'");
            lines.Add(wal);
            if (kind == WalFileKind.History)
                history++;
            else if (kind == WalFileKind.BackupLabel)
                labels++;
            else
                wals++;
        }

        session.Rewrite(lines);
        return (history, labels, wals);
    }

    /// <summary>What Barman's walk catalogues (spec: rebuild-xlogdb §2); everything else is a log warning.</summary>
    private WalFileKind? Classify(StoredObject stored, string catalogName)
    {
        if (stored.IsTopLevel)
        {
            if (stored.Name.StartsWith(catalogName, StringComparison.Ordinal))
                return null;
            if (WalName.IsHistoryFile(stored.Name))
                return WalFileKind.History;
            _log.Warning("unexpected file rebuilding the wal database: {Path}", stored.Location);
            return null;
        }

        if (stored.IsDirectory)
        {
            _log.Warning("unexpected directory rebuilding the wal database: {Path}", stored.Location);
            return null;
        }

        if (WalName.TryParse(stored.Name, out var name) && name.Kind is WalFileKind.Segment or WalFileKind.BackupLabel)
        {
            if (stored.RelativePath.StartsWith(name.HashDirectory + "/", StringComparison.OrdinalIgnoreCase))
                return name.Kind;
            // Barman catalogues it although every reader looks for it in its hash directory (a deliberate difference)
            _log.Warning("WAL file outside its hash directory skipped rebuilding the wal database: {Path}", stored.Location);
            return null;
        }

        if (stored.Name.EndsWith(".tmp", StringComparison.Ordinal))
            _log.Warning("temporary file found rebuilding the wal database: {Path}", stored.Location);
        else
            _log.Warning("unexpected file rebuilding the wal database: {Path}", stored.Location);
        return null;
    }
}

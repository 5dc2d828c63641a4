using Barman.Wal.Archiving;
using Barman.Wal.Backups;
using Barman.Wal.Catalog;
using Barman.Wal.Checks;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Hosting;
using Barman.Wal.Locking;
using Barman.Wal.Output;
using Barman.Wal.Platform;
using Barman.Wal.Storage;
using Barman.Wal.Storage.Cloud;
using Barman.Wal.Xlog;
using Serilog;

namespace Barman.Wal.Retention;

/// <summary>
/// <c>purge-wal</c>: removes archived WAL that no recovery can need (<see cref="PurgePlanner"/>), crash-safely and
/// unlike Barman's order: under the catalog lock, the catalog is first rewritten without the chosen lines
/// (temporary file, fsync, rename, directory fsync), then the files are deleted through the storage strategy
/// (wal-delete hooks around each), then emptied hash directories go. A crash leaves at worst stored files
/// without a catalog line, which the next purge removes — never a catalog line without its file.
/// </summary>
public sealed class PurgeWalService(
    BarmanConfiguration configuration,
    ServerStorageFactory storages,
    BarmanOutput output,
    ILogger logger,
    TimeProvider clock)
{
    /// <summary>Files handed to the strategy per call: the progress step, and one S3 DeleteObjects batch.</summary>
    private const int Chunk = 1000;

    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.retention");

    /// <summary>Purges every requested server in turn; one failing server does not stop the others.</summary>
    public async Task<int> RunAsync(PurgeWalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selection = ServerSelection.Resolve(configuration, request.Servers, output);
        var exitCode = selection.ExitCode;
        foreach (var server in selection.Servers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            exitCode = Math.Max(exitCode, await PurgeServerAsync(server, request.Policy, request.DryRun, cancellationToken).ConfigureAwait(false));
        }

        return exitCode;
    }

    /// <summary>Purges one server (also used by <c>cron</c>); returns its exit code.</summary>
    public async Task<int> PurgeServerAsync(ServerOptions server, PurgePolicy requested, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(requested);
        if (server.IsPassive)
            return ExitCodes.Success;
        Directory.CreateDirectory(server.BarmanLockDirectory);
        using var purgeLock = LockFile.TryAcquire(Path.Combine(server.BarmanLockDirectory, $".{server.Name}-purge-wal.lock"));
        if (purgeLock is null)
        {
            output.Info($"Another purge-wal process is already running on server {server.Name}. Skipping to the next server");
            return ExitCodes.Success;
        }

        var backups = BackupCatalog.Load(server);
        if (backups.Damaged.Count > 0)
        {
            foreach (var damaged in backups.Damaged)
                output.Error(damaged.ToString());
            output.Error($"Refusing to purge WAL of server {server.Name}: the backup catalog has unreadable entries (fix or remove them)");
            return ExitCodes.Failure;
        }

        var policy = requested.WithServerDefaults(server);
        if (backups.FirstAvailable is null && policy.IsEmpty)
        {
            output.Info($"No backup and no WAL purge policy for server {server.Name}: nothing purged " +
                "(use --keep-days, --keep-size, --before or purge_wal_keep_days / purge_wal_keep_size)");
            return ExitCodes.Success;
        }

        try
        {
            return await PurgeAsync(server, backups, policy, dryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (XlogDbFormatException e)
        {
            output.Error(e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is BarmanWalException or IOException or UnauthorizedAccessException)
        {
            output.Exception(ExceptionText.Of(e));
            _log.Error(e, "{Message}", ExceptionText.Of(e));
            return ExitCodes.Failure;
        }
    }

    private async Task<int> PurgeAsync(ServerOptions server, BackupCatalog backups, PurgePolicy policy, bool dryRun, CancellationToken cancellationToken)
    {
        var storage = storages.Create(server);
        using var session = await storage.Catalog.OpenAsync(cancellationToken).ConfigureAwait(false);
        var lines = session.ReadAll();
        var orphans = await FindOrphansAsync(storage.Strategy, lines, cancellationToken).ConfigureAwait(false);
        var plan = PurgePlanner.Plan(lines, orphans, backups, policy, clock.GetUtcNow())!;
        var exitCode = ExitCodes.Success;
        foreach (var name in plan.InvalidNames)
        {
            output.Error($"invalid WAL segment name '{name}'");
            output.Info($"HINT: Please run \"barman rebuild-xlogdb {server.Name}\" to solve this issue");
            exitCode = ExitCodes.Failure;
        }

        if (dryRun)
        {
            Report(server, plan, dryRun: true, plan.Files);
            return exitCode;
        }

        if (plan.ChangesCatalog && !dryRun)
            session.Rewrite(plan.Kept);
        FaultInjection.At("purge-catalog-rewritten");
        _log.Information("Purging {Count} WAL files of server {Server}: {Rule}", plan.Files.Count, server.Name, plan.Rule);

        var deleted = new List<WalFileInfo>(plan.Files.Count);
        var byName = new Dictionary<string, WalFileInfo>(StringComparer.Ordinal);
        foreach (var file in plan.Files)
            byName.TryAdd(file.Name, file);
        using (var progress = ConsoleProgress.Start(output, $"purge-wal {server.Name}", plan.Files.Count))
        {
            foreach (var chunk in plan.Files.Chunk(Chunk))
            {
                try
                {
                    var names = await storage.Strategy.DeleteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    deleted.AddRange(names.Select(n => byName[n]));
                }
                catch (CloudStorageException e)
                {
                    output.Error(e.Message);
                    deleted.AddRange(await RestoreSurvivorsAsync(server, storage.Strategy, session, chunk, plan, cancellationToken).ConfigureAwait(false));
                    exitCode = ExitCodes.Failure;
                }
                catch (Hooks.RetryHookAbortedException e)
                {
                    Report(server, plan, dryRun: false, deleted);
                    output.Exception(e.Message);
                    return ExitCodes.Failure;
                }

                progress.Advance(chunk.Length);
                MemoryBudget.Tick();
            }
        }

        Report(server, plan, dryRun: false, deleted);
        return exitCode;
    }

    /// <summary>
    /// After a failed cloud deletion: what is still stored gets its catalog line back (the catalog lists exactly
    /// what remains) and is reported; returns the records that are gone.
    /// </summary>
    private async Task<List<WalFileInfo>> RestoreSurvivorsAsync(
        ServerOptions server, WalStorageStrategy strategy, XlogDbSession session, WalFileInfo[] chunk, PurgePlan plan, CancellationToken cancellationToken)
    {
        var gone = new List<WalFileInfo>(chunk.Length);
        var catalogued = plan.Removed.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var wal in chunk)
        {
            if (await strategy.FindStoredAsync(wal.Name, cancellationToken).ConfigureAwait(false) is null)
            {
                gone.Add(wal);
                continue;
            }

            output.Error($"WAL {wal.Name} of server {server.Name} could not be deleted; it stays in the catalog");
            if (catalogued.Contains(wal.Name))
                session.Append(wal);
        }

        return gone;
    }

    /// <summary>Stored WAL (not history files) in their hash directory but absent from the catalog.</summary>
    private static async Task<List<WalFileInfo>> FindOrphansAsync(
        WalStorageStrategy strategy, IReadOnlyList<WalFileInfo> lines, CancellationToken cancellationToken)
    {
        var catalogued = lines.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var orphans = new List<WalFileInfo>();
        await foreach (var stored in strategy.ListStoredAsync(cancellationToken).ConfigureAwait(false))
        {
            MemoryBudget.Tick();
            if (stored.IsDirectory || catalogued.Contains(stored.Name) || !WalName.TryParse(stored.Name, out var name)
                || name.Kind == WalFileKind.History || !stored.RelativePath.StartsWith(name.HashDirectory + "/", StringComparison.Ordinal))
                continue;
            orphans.Add(new WalFileInfo
            {
                Name = stored.Name,
                Size = stored.Size,
                Time = stored.Modified.ToUnixTimeMilliseconds() / 1000.0,
                Compression = stored.CompressionFromExtension,
            });
        }

        return orphans;
    }

    private void Report(ServerOptions server, PurgePlan plan, bool dryRun, IReadOnlyList<WalFileInfo> files)
    {
        var total = files.Sum(f => f.Size);
        if (output.Format == OutputFormat.Json)
        {
            output.SetJsonMember(server.Name, new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["dry_run"] = dryRun,
                ["rule"] = plan.Rule,
                ["wal_files"] = files.Select(f => new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = f.Name, ["size_bytes"] = f.Size }).ToList(),
                ["count"] = files.Count,
                ["size"] = CheckDecisions.PrettySize(total),
                ["size_bytes"] = total,
            });
            return;
        }

        if (files.Count == 0)
        {
            output.Info($"No WAL to purge for server {server.Name} ({plan.Rule})");
            return;
        }

        output.Info(dryRun
            ? $"WAL files purge-wal would remove for server {server.Name} ({plan.Rule}):"
            : $"Purged WAL files of server {server.Name} ({plan.Rule}):");
        foreach (var file in files)
        {
            output.Info(dryRun ? $"\t{file.Name}\t{file.Size}" : $"\t{file.Name}");
            MemoryBudget.Tick();
        }
        var count = $"{files.Count} WAL file{(files.Count == 1 ? string.Empty : "s")}";
        output.Info(dryRun
            ? $"Would remove {count}, {total} bytes ({CheckDecisions.PrettySize(total)}), for server {server.Name}"
            : $"Removed {count}, {total} bytes ({CheckDecisions.PrettySize(total)}), for server {server.Name}");
    }
}

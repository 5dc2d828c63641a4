using Barman.Wal.Catalog;
using Barman.Wal.Hooks;
using Barman.Wal.Platform;
using Barman.Wal.Storage;

namespace Barman.Wal.Archiving;

/// <summary>
/// One pass of the archiving loop over a batch. Per file, in order: print the name, stage, then under
/// the catalog lock commit and append the line, then remove the source — so a source is only removed
/// once its copy is durable and catalogued.
/// </summary>
internal sealed class ArchiveRun(
    WalArchiver archiver, WalArchiverQueue batch, string header, bool verbose, CancellationToken cancellationToken)
{
    private readonly WalArchiverContext _context = archiver.Context;
    private readonly SortedSet<string> _sourceDirectoriesToSync = new(StringComparer.Ordinal);
    private readonly Dictionary<WalFileInfo, (long Size, double Time)> _listed =
        batch.Files.ToDictionary(w => w, w => (w.Size, w.Time)); // reference keys: the record is mutated by staging
    private HashSet<string>? _catalogued;
    private int _processed;
    private bool _stoppedAtChange;

    /// <summary>One file at a time inside its hook bracket, holding the catalog lock throughout (Barman 3.18).</summary>
    public async Task<ArchiverRunResult> RunSequentialAsync()
    {
        try
        {
            foreach (var wal in batch.Files)
            {
                Announce(wal);
                using var session = await _context.Catalog.OpenAsync(cancellationToken).ConfigureAwait(false);
                var source = wal.OriginalPath!;
                _context.Storage.EnsureCanStore();
                var verdict = await _context.Hooks.RunPreAsync(wal, source, cancellationToken).ConfigureAwait(false);
                if (verdict.AbortStop)
                {
                    // Nothing is stored, but the post hooks still run; only the retry one sees the reason.
                    await _context.Hooks.RunPostAsync(wal, _context.Storage.GetFullPath(wal.Name), verdict.Reason, cancellationToken).ConfigureAwait(false);
                    archiver.Log.Warning("Archiving of {Server}/{Name} aborted by pre_archive_retry_script.Reason: {Reason}", _context.ServerName, wal.Name, verdict.Reason);
                    return new ArchiverRunResult(_processed, AbortedByHook: true);
                }

                StagedWal? staged = null;
                string? error = null;
                string? changed;
                try
                {
                    staged = await _context.Storage.StageAsync(wal, cancellationToken).ConfigureAwait(false);
                    changed = ChangedSinceListing(wal);
                    if (changed is null)
                        await CommitOrAbandonAsync(staged).ConfigureAwait(false);
                    else
                        await _context.Storage.AbandonAsync(staged, CancellationToken.None).ConfigureAwait(false);
                    error = changed is not null ? $"{wal.Name} is still being written ({changed})"
                        : staged.Outcome == StoreOutcome.Stored ? null
                        : HookErrorText.Duplicate(wal, matching: staged.Outcome == StoreOutcome.MatchingDuplicate);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    error = e.Message;
                    await _context.Hooks.RunPostAsync(wal, _context.Storage.GetFullPath(wal.Name), error, CancellationToken.None).ConfigureAwait(false);
                    if (e is WalSourceVanishedException vanished)
                    {
                        Vanished(vanished);
                        continue;
                    }

                    throw;
                }

                await _context.Hooks.RunPostAsync(wal, staged.Destination, error, cancellationToken).ConfigureAwait(false);
                if (changed is not null)
                {
                    StillGrowing(wal, changed);
                    break;
                }

                await FinishAsync(session, staged).ConfigureAwait(false);
            }
        }
        finally
        {
            SyncSourceDirectories();
        }

        return new ArchiverRunResult(_processed, AbortedByHook: false, _stoppedAtChange);
    }

    /// <summary>Keeps <c>Parallelism</c> files staging ahead, also while one is committed; commits strictly in order.</summary>
    public async Task<ArchiverRunResult> RunPipelinedAsync()
    {
        var window = new Queue<(WalFileInfo Wal, Task<StagedWal> Stage)>();
        var next = 0;
        void Fill()
        {
            while (window.Count < _context.Parallelism && next < batch.Files.Count)
            {
                var wal = batch.Files[next++];
                window.Enqueue((wal, Task.Run(() => _context.Storage.StageAsync(wal, cancellationToken), cancellationToken)));
            }
        }

        try
        {
            Fill();
            while (window.Count > 0)
            {
                var (wal, stageTask) = window.Dequeue();
                Announce(wal);
                StagedWal staged;
                try
                {
                    staged = await stageTask.ConfigureAwait(false);
                }
                catch (WalSourceVanishedException vanished)
                {
                    Vanished(vanished);
                    Fill();
                    continue;
                }

                if (ChangedSinceListing(wal) is { } changed)
                {
                    // Rewritten after it was judged complete: nothing of it, nor of the later files, is committed.
                    await _context.Storage.AbandonAsync(staged, CancellationToken.None).ConfigureAwait(false);
                    StillGrowing(wal, changed);
                    await AbandonAllAsync(window).ConfigureAwait(false);
                    window.Clear();
                    break;
                }

                // Refill before committing: the commit's fsyncs wait on the disk, and the cores keep
                // staging the next files meanwhile.
                Fill();
                using (var session = await _context.Catalog.OpenAsync(cancellationToken).ConfigureAwait(false))
                {
                    await CommitOrAbandonAsync(staged).ConfigureAwait(false);
                    await FinishAsync(session, staged).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await AbandonAllAsync(window).ConfigureAwait(false);
            throw;
        }
        finally
        {
            SyncSourceDirectories();
        }

        return new ArchiverRunResult(_processed, AbortedByHook: false, _stoppedAtChange);
    }

    private void Announce(WalFileInfo wal)
    {
        if (!verbose && _processed == 0)
            _context.Output.Info(header);
        _processed++;
        _context.Output.Info("\t" + wal.Name);
        archiver.Log.Information("Archiving segment {Index} of {Run} from {Archiver}: {Server}/{Name}", _processed, batch.RunSize, archiver.Name, _context.ServerName, wal.Name);
    }

    private async Task CommitOrAbandonAsync(StagedWal staged)
    {
        try
        {
            await _context.Storage.CommitAsync(staged, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _context.Storage.AbandonAsync(staged, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Null when the source still has the size and mtime it was listed (and judged) with, so the staged
    /// copy — a hard link to the same inode included — is of a complete file; else what changed.
    /// </summary>
    private string? ChangedSinceListing(WalFileInfo wal)
    {
        var (size, time) = _listed[wal];
        return GrowingSegmentPolicy.ChangedSinceListing(wal.OriginalPath!, size, time);
    }

    private void StillGrowing(WalFileInfo wal, string changed)
    {
        _processed--;
        _stoppedAtChange = true;
        _context.Growing.ReportWaiting(archiver, wal, changed, _listed[wal].Time);
    }

    private void Vanished(WalSourceVanishedException vanished)
    {
        _processed--;
        _context.Output.Warning(vanished.Message);
        archiver.Log.Warning("{Message}", vanished.Message);
    }

    /// <summary>After a commit, under the catalog lock: the line, then the source's removal.</summary>
    private async Task FinishAsync(XlogDbSession session, StagedWal staged)
    {
        var wal = staged.Wal;
        var source = wal.OriginalPath!;
        switch (staged.Outcome)
        {
            case StoreOutcome.Stored:
                session.Append(wal);
                FaultInjection.At("after-catalog-append");
                MarkCatalogued(wal.Name);
                RemoveSource(source);
                wal.OriginalPath = null;
                break;
            case StoreOutcome.MatchingDuplicate:
                // The strategy's commit made the stored copy durable; the line must be too.
                if (!await EnsureCataloguedAsync(session, wal.Name).ConfigureAwait(false))
                    break;
                RemoveSource(source);
                wal.OriginalPath = null;
                break;
            case StoreOutcome.Duplicate:
                var line = $"\tError: {wal.Name} is already present in server {_context.ServerName}. File moved to errors directory.";
                _context.Output.Info(line);
                archiver.Log.Information("{Line}", line);
                archiver.MoveToErrors(source, "duplicate");
                break;
        }

        MemoryBudget.AfterFile();
    }

    /// <summary>
    /// Makes sure a matching duplicate's line is in the catalog and on disk. The catalog is read (and
    /// fsynced, for lines an earlier run wrote just before a crash) once per run. A stored copy without
    /// a line (a crash between storing and cataloguing) gets its line now: the barman-wal repair of spec
    /// xlogdb §4. False, and the source stays, when the stored copy can no longer be described.
    /// </summary>
    private async Task<bool> EnsureCataloguedAsync(XlogDbSession session, string name)
    {
        if (_catalogued is null)
        {
            _catalogued = new HashSet<string>(session.ReadAll().Select(w => w.Name), StringComparer.Ordinal);
            session.Sync();
        }

        if (_catalogued.Contains(name))
            return true;
        var stored = await _context.Storage.DescribeStoredAsync(name, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            archiver.Log.Warning("The stored copy of {Server}/{Name} vanished before its catalog line was added: the source stays", _context.ServerName, name);
            return false;
        }

        session.Append(stored);
        _catalogued.Add(name);
        archiver.Log.Warning("Catalog line missing for the stored {Server}/{Name}: added", _context.ServerName, name);
        return true;
    }

    private void MarkCatalogued(string name) => _catalogued?.Add(name);

    private void RemoveSource(string source)
    {
        try
        {
            FaultInjection.At("before-source-removal");
            File.Delete(source);
            FaultInjection.At("after-source-removal");
            _sourceDirectoriesToSync.Add(Path.GetDirectoryName(source)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            archiver.Log.Warning("Could not remove intermediary file {Path}: {Error}", source, e.Message);
        }
    }

    private void SyncSourceDirectories()
    {
        foreach (var directory in _sourceDirectoriesToSync)
        {
            try
            {
                Durability.SyncDirectory(directory);
            }
            catch (IOException e)
            {
                archiver.Log.Warning("Could not fsync {Path}: {Error}", directory, e.Message);
            }
        }

        _sourceDirectoriesToSync.Clear();
    }

    private async Task AbandonAllAsync(Queue<(WalFileInfo Wal, Task<StagedWal> Stage)> window)
    {
        foreach (var (_, stage) in window)
        {
            try
            {
                var staged = await stage.ConfigureAwait(false);
                await _context.Storage.AbandonAsync(staged, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                archiver.Log.Debug("Abandoned staging failed: {Error}", e.Message);
            }
        }
    }
}

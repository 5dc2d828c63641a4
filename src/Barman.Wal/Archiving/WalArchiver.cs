using Barman.Wal.Catalog;
using Barman.Wal.Platform;
using Barman.Wal.Storage;
using Serilog;

namespace Barman.Wal.Archiving;

/// <summary>
/// Moves WAL from one source directory into the archive (spec: archive-wal §3–4). Subclasses decide
/// what the batch is; this class runs the loop: store, catalogue, then remove the source, in order.
/// </summary>
/// <remarks>
/// Without hook scripts several files are staged (duplicate check, compression, encryption) at once,
/// while commit, catalog line and source removal stay strictly sequential in WAL order. With hook
/// scripts, each file runs inside its hook bracket one at a time, under the catalog lock, as in Barman 3.18.
/// </remarks>
public abstract class WalArchiver
{
    private readonly ILogger _log;

    protected WalArchiver(WalArchiverContext context, string name, string sourceDirectory, int batchOption)
    {
        Context = context;
        Name = name;
        SourceDirectory = sourceDirectory;
        BatchOption = batchOption;
        _log = context.Logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.wal_archiver");
    }

    /// <summary>The archiver name used in output: <c>streaming</c> or <c>file archival</c>.</summary>
    public string Name { get; }

    /// <summary>The directory WAL arrives in.</summary>
    public string SourceDirectory { get; }

    /// <summary>The batch option (<c>archiver_batch_size</c> / <c>streaming_archiver_batch_size</c>); 0 = all.</summary>
    public int BatchOption { get; }

    /// <summary>The server-wide collaborators.</summary>
    protected internal WalArchiverContext Context { get; }

    /// <summary>Lists and classifies the source directory into this run's batch.</summary>
    public abstract WalArchiverQueue GetNextBatch();

    /// <summary>
    /// Lists entries whose names do not start with <c>.</c>, sorted by ordinal, cut to the batch option.
    /// A missing directory lists nothing.
    /// </summary>
    protected (IReadOnlyList<string> Kept, int TotalSize) ListBatchEntries()
    {
        if (!Directory.Exists(SourceDirectory))
            return ([], 0);
        var names = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(SourceDirectory))
        {
            if (!Path.GetFileName(entry).StartsWith('.'))
                names.Add(entry);
        }

        names.Sort(StringComparer.Ordinal);
        var total = names.Count;
        if (BatchOption > 0 && names.Count > BatchOption)
            names.RemoveRange(BatchOption, names.Count - BatchOption);
        return (names, total);
    }

    /// <summary>The record of a source file from <c>stat()</c>; null when it vanished.</summary>
    protected static WalFileInfo? Describe(string path, string? compression)
    {
        var status = FileStatus.TryGet(path);
        if (status is null)
            return null;
        return new WalFileInfo
        {
            Name = Path.GetFileName(path),
            Size = status.Value.Size,
            Time = status.Value.PythonModifyTime,
            Compression = compression,
            OriginalPath = path,
        };
    }

    /// <summary>Runs one archiver pass; exceptions propagate and end the command.</summary>
    public async Task<ArchiverRunResult> ArchiveAsync(bool verbose, CancellationToken cancellationToken = default)
    {
        var batch = GetNextBatch();
        var output = Context.Output;
        var server = Context.ServerName;
        var header = $"Processing xlog segments from {Name} for {server}";
        LogBatch(batch);
        if (batch.IsBatchMode)
            header += $" (batch size: {batch.RunSize})";
        if (verbose)
            output.Info(header);
        batch = Context.HeaderGate is { } gate ? gate.Screen(this, batch) : Context.Growing.Screen(this, batch);

        var run = new ArchiveRun(this, batch, header, verbose, cancellationToken);
        var result = Context.Hooks.AnyConfigured || Context.Parallelism <= 1
            ? await run.RunSequentialAsync().ConfigureAwait(false)
            : await run.RunPipelinedAsync().ConfigureAwait(false);
        if (result.AbortedByHook)
            return result;
        if (batch.Waiting is { } waiting && !result.StoppedAtChangedSource)
            Context.Growing.ReportWaiting(this, waiting, batch.WaitingDetail!);

        if (result.Processed > 0)
        {
            if (batch.IsBatchMode)
                _log.Debug("Batch size reached ({Batch}) - Exit {Archiver} process for {Server}", batch.BatchSize, Name, server);
            _log.Debug("Archived {Processed} out of {Total} xlog segments from {Archiver} for {Server}", result.Processed, batch.TotalSize, Name, server);
        }
        else if (verbose && batch.Waiting is null)
        {
            output.Info("\tno file found");
        }

        MoveUnknown(batch.Unknown);
        return result;
    }

    private void LogBatch(WalArchiverQueue batch)
    {
        var server = Context.ServerName;
        if (batch.RunSize == 0)
            _log.Information("No xlog segments found from {Archiver} for {Server}.", Name, server);
        else if (batch.IsBatchMode)
            _log.Information("Found {Total} xlog segments from {Archiver} for {Server}. Archive a batch of {Run} segments in this run.", batch.TotalSize, Name, server, batch.RunSize);
        else
            _log.Information("Found {Total} xlog segments from {Archiver} for {Server}. Archive all segments in one run.", batch.TotalSize, Name, server);
    }

    private void MoveUnknown(IReadOnlyList<string> unknown)
    {
        if (unknown.Count == 0)
            return;
        var server = Context.ServerName;
        Context.Output.Info($"Some unknown objects have been found while processing xlog segments for {server}. Objects moved to errors directory:");
        _log.Warning("Archiver is about to move {Count} unexpected file(s) to errors directory for {Server} from {Archiver}", unknown.Count, server, Name);
        foreach (var path in unknown)
        {
            var baseName = Path.GetFileName(path);
            Context.Output.Info("\t" + baseName);
            _log.Warning("Moving unexpected file for {Server} from {Archiver}: {Name}", server, Name, baseName);
            MoveToErrors(path, "unknown");
        }
    }

    internal void MoveToErrors(string path, string reason)
    {
        try
        {
            if (Context.Errors.Move(path, reason) is null)
                Context.Logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.server").Warning("{Path} not found", path);
        }
        catch (IOException e)
        {
            _log.Warning("Could not move {Path} to the errors directory: {Error}", path, e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            _log.Warning("Could not move {Path} to the errors directory: {Error}", path, e.Message);
        }
    }

    internal ILogger Log => _log;
}

using Barman.Wal.Catalog;
using Barman.Wal.Platform;
using Barman.Wal.Xlog;

namespace Barman.Wal.Archiving;

/// <summary>
/// Archives what pg_receivewal writes into <c>streaming</c> (spec: archive-wal §3.3), keeping back the
/// newest <c>.partial</c> (or, without one, the last complete file) so pg_receivewal can resume.
/// </summary>
public sealed class StreamingWalArchiver(WalArchiverContext context, string streamingDirectory, int batchSize)
    : WalArchiver(context, "streaming", streamingDirectory, batchSize)
{
    /// <inheritdoc />
    public override WalArchiverQueue GetNextBatch()
    {
        var (kept, total) = ListBatchEntries();
        var complete = new List<string>();
        var partials = new List<string>();
        var unknown = new List<string>();
        foreach (var path in kept)
        {
            if (path.EndsWith(".tmp", StringComparison.Ordinal))
                continue;
            var status = FileStatus.TryGet(path);
            if (status is null)
                continue; // vanished, or a broken symlink: ignored here
            if (!status.Value.IsRegularFile)
                unknown.Add(path);
            else if (WalName.IsPartialFile(path))
                partials.Add(path);
            else if (WalName.IsAnyXlogFile(path))
                complete.Add(path);
            else
                unknown.Add(path);
        }

        var toArchive = SelectForArchiving(complete, partials);
        if (partials.Count > 1)
        {
            var names = string.Join(", ", partials.Take(partials.Count - 1).Select(Path.GetFileName));
            Context.Logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.wal_archiver")
                .Information("Archiving partial files for server {Server}: {Names}", Context.ServerName, names);
        }

        var files = new List<WalFileInfo>(toArchive.Count);
        foreach (var path in toArchive)
        {
            var wal = Describe(path, compression: null);
            if (wal is not null)
                files.Add(wal);
        }

        return new WalArchiverQueue(files, unknown, total, Math.Max(BatchOption, 0));
    }

    /// <summary>The keep-back rule: which of the complete and partial files leave <c>streaming</c>.</summary>
    internal static IReadOnlyList<string> SelectForArchiving(IReadOnlyList<string> complete, IReadOnlyList<string> partials)
    {
        if (partials.Count >= 2)
            return [.. complete, .. partials.Take(partials.Count - 1)];
        if (partials.Count == 1)
            return complete;
        return complete.Count > 0 ? complete.Take(complete.Count - 1).ToList() : [];
    }
}

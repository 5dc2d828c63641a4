using System.Diagnostics;
using System.Globalization;
using Barman.Wal.Xlog;
using Serilog;

namespace Barman.Wal.Restore;

/// <summary>
/// barman-wal's prefetch (beyond Barman): after segment X is delivered, a detached worker process fetches
/// the next N segments of the same timeline in parallel into the <see cref="PrefetchSpool"/>, so that
/// PostgreSQL replays X while X+1… are downloaded and decoded, and the next restore_command calls only
/// verify and move a local file. The restore_command process itself never waits for the prefetch.
/// </summary>
public sealed class WalPrefetcher(RestoreArchive archive, PrefetchSpool spool, ILogger logger)
{
    /// <summary>How long a call waits for a worker that is fetching the very segment asked for.</summary>
    public static readonly TimeSpan PendingWait = TimeSpan.FromSeconds(120);

    private const int MaxParallel = 8;

    /// <summary>The <paramref name="count"/> segment names after <paramref name="name"/> on its timeline.</summary>
    public static IReadOnlyList<string> NamesAfter(WalName name, int count, long segmentSize)
    {
        var perLog = (1L << 32) / (segmentSize > 0 ? segmentSize : WalSegmentArithmetic.DefaultSegmentSize);
        var names = new List<string>(count);
        var (log, segment) = (name.Log, (long)name.Segment);
        for (var i = 0; i < count; i++)
        {
            if (++segment >= perLog)
            {
                if (log == uint.MaxValue)
                    break;
                (log, segment) = (log + 1, 0);
            }

            names.Add(WalName.Encode(name.Timeline, log, (uint)segment));
        }

        return names;
    }

    /// <summary>
    /// Delivers <paramref name="requested"/> from the spool into <paramref name="output"/> when a complete,
    /// verified copy is there and the archive's copy is not newer; waits first for a worker fetching it.
    /// Returns false (the spool file removed when unusable) so the caller fetches normally.
    /// </summary>
    public async Task<bool> TryDeliverAsync(WalName requested, RestoreOutput output, WalLocator locator, CancellationToken cancellationToken)
    {
        await spool.WaitWhilePendingAsync(requested.Name, PendingWait, cancellationToken).ConfigureAwait(false);
        var path = spool.PathOf(requested.Name);
        var info = new FileInfo(path);
        if (!info.Exists)
            return false;
        var archived = await locator.FromArchiveAsync(requested.Name, cancellationToken).ConfigureAwait(false);
        if (archived is null || archived.Modified > new DateTimeOffset(info.LastWriteTimeUtc).AddSeconds(1))
        {
            logger.Information("Ignoring prefetched WAL file '{Path}': {Reason}", path, archived is null ? "no longer archived" : "older than the archive's copy");
            spool.Remove(requested.Name);
            return false;
        }

        var candidate = new WalCandidate(requested.Name, path, info.LastWriteTimeUtc, _ => Task.FromResult<Stream>(File.OpenRead(path)));
        var header = new byte[WalPageHeader.LongHeaderSize];
        try
        {
            await using (var file = File.OpenRead(path))
            {
                var read = await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                new WalRestorer(archive).Verify(requested, candidate, header.AsSpan(0, read), file.Length);
                file.Position = 0;
                await file.CopyToAsync(output.Stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RestoredWalInvalidException e)
        {
            logger.Warning("Ignoring prefetched WAL file '{Path}': {Reason}", path, e.Message);
            spool.Remove(requested.Name);
            output.Stream.SetLength(0);
            return false;
        }

        await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        spool.Remove(requested.Name);
        return true;
    }

    /// <summary>
    /// After <paramref name="delivered"/> reached PostgreSQL (from the spool or not): records it, so that a
    /// worker that fetches it late drops it, and removes a spool copy that is now useless.
    /// </summary>
    public void Delivered(WalName delivered)
    {
        spool.MarkDelivered(delivered.Name);
        if (spool.Has(delivered.Name))
            spool.Remove(delivered.Name);
    }

    /// <summary>
    /// Starts a detached worker when at least half of the window after <paramref name="delivered"/> is
    /// neither spooled nor being fetched (so most calls start no process at all).
    /// </summary>
    public void LaunchIfNeeded(WalName delivered, int count, long segmentSize, IReadOnlyList<string>? selfCommand)
    {
        if (selfCommand is not { Count: > 0 } || OperatingSystem.IsWindows())
            return;
        var missing = NamesAfter(delivered, count, segmentSize).Count(n => !spool.Has(n) && !spool.IsPending(n));
        if (missing == 0 || missing < Math.Max(1, count / 2))
            return;
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // exec with stdio on /dev/null: the worker never touches restore_command's %p and outlives this process
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1");
        foreach (var argument in selfCommand)
            start.ArgumentList.Add(argument);
        foreach (var argument in (string[])
                 ["-q", "get-wal", "--prefetch-worker", "--prefetch", count.ToString(CultureInfo.InvariantCulture),
                  "--segment-size", segmentSize.ToString(CultureInfo.InvariantCulture), "--spool-dir", spool.Directory,
                  archive.Server.Name, delivered.Name])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start);
        logger.Debug("Started prefetch worker {Pid} for {Count} WAL files after {Name}", process?.Id, missing, delivered.Name);
    }

    /// <summary>The worker: fetches the window after <paramref name="after"/> in parallel; returns how many it spooled.</summary>
    public async Task<int> FetchAsync(WalName after, int count, long segmentSize, CancellationToken cancellationToken)
    {
        spool.SweepTemporaries();
        var locator = new WalLocator(archive);
        var spooled = 0;
        await Parallel.ForEachAsync(
            NamesAfter(after, count, segmentSize),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(count, MaxParallel), CancellationToken = cancellationToken },
            async (name, ct) =>
            {
                if (await FetchOneAsync(locator, WalName.Parse(name), ct).ConfigureAwait(false))
                    Interlocked.Increment(ref spooled);
            }).ConfigureAwait(false);
        return spooled;
    }

    private async Task<bool> FetchOneAsync(WalLocator locator, WalName name, CancellationToken cancellationToken)
    {
        if (spool.Has(name.Name) || spool.IsBehind(name.Name))
            return false;
        using var held = spool.TryLock(name.Name);
        if (held is null || spool.Has(name.Name))
            return false;
        var temporary = RestoreOutput.TemporaryName(spool.PathOf(name.Name));
        try
        {
            var candidate = await locator.FromArchiveAsync(name.Name, cancellationToken).ConfigureAwait(false);
            if (candidate is null)
                return false;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
                await new WalRestorer(archive).RestoreAsync(candidate, name, null, false, file, cancellationToken).ConfigureAwait(false);
            File.SetLastWriteTimeUtc(temporary, candidate.Modified.UtcDateTime);
            File.Move(temporary, spool.PathOf(name.Name));
            if (spool.IsBehind(name.Name))
            {
                // PostgreSQL got it meanwhile from the archive: a spool copy would never be asked for
                File.Delete(spool.PathOf(name.Name));
                return false;
            }

            logger.Debug("Prefetched WAL file {Name} from {Location}", name.Name, candidate.Location);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.Warning("Prefetch of WAL file {Name} failed: {Message}", name.Name, e.Message);
            return false;
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(spool.LockOf(name.Name));   // still held: nobody waits on a lock file that is gone
        }
    }
}

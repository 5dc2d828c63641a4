using Barman.Wal.Backups;
using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Output;

namespace Barman.Wal.Checks;

/// <summary>
/// Rows 18–19, <c>wal maximum age</c> and <c>wal size</c> (spec: status §7): both measured on the WAL range
/// (spec: backup-catalog §5) of the last available Barman backup; without one, the age row fails when a limit
/// is set and the size is <c>0 B</c>.
/// </summary>
internal sealed class WalAgeAndSizeCheck(ServerOptions server, CheckStrategy strategy, TimeProvider clock)
{
    private const string AgeRow = "wal maximum age";
    private const string SizeRow = "wal size";

    public async Task RunAsync(CancellationToken ct)
    {
        var (range, problem) = await LastBackupRangeAsync(ct).ConfigureAwait(false);

        strategy.Begin(AgeRow);
        if (server.LastWalMaximumAge is not { } limit)
            strategy.Result(AgeRow, true, "no last_wal_maximum_age provided");
        else if (problem is not null)
            strategy.Result(AgeRow, false, problem);
        else if (range.Last is null)
            strategy.Result(AgeRow, false, CheckDecisions.WithAdvice(
                "No WAL files archived for last backup",
                "take a backup with Barman, or unset last_wal_maximum_age"));
        else
        {
            var age = clock.GetUtcNow() - range.Last.Timestamp;
            strategy.Result(AgeRow, age <= limit, Hint(limit, age));
        }

        strategy.Begin(SizeRow);
        strategy.Result(SizeRow, true, CheckDecisions.PrettySize(range.UntilNextSize),
            $"{server.Name}_wals={range.UntilNextSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}B");
    }

    /// <summary>The hint of a measured age: <c>interval provided: 1 hour, latest wal age: 6 seconds</c>.</summary>
    internal static string Hint(TimeSpan limit, TimeSpan age) =>
        $"interval provided: {HumanInterval.Format(limit)}, latest wal age: {HumanInterval.Format(age)}";

    private async Task<(BackupWalRange Range, string? Problem)> LastBackupRangeAsync(CancellationToken ct)
    {
        var last = BackupCatalog.Load(server).LastAvailable;
        if (last is null)
            return (BackupWalRange.Empty, null);
        try
        {
            var catalog = await CatalogSnapshot.ReadAsync(server, ct).ConfigureAwait(false);
            return (BackupWalRange.Of(last, next: null, catalog), null);
        }
        catch (Exception e) when (e is XlogDbFormatException or IOException or UnauthorizedAccessException)
        {
            return (BackupWalRange.Empty, CheckDecisions.WithAdvice(e.Message, $"run 'barman-wal rebuild-xlogdb {server.Name}'"));
        }
    }
}

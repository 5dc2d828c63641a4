using System.Diagnostics;
using System.Globalization;
using Barman.Wal.Archiving;
using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Locking;
using Barman.Wal.Postgres;

namespace Barman.Wal.Checks;

/// <summary>
/// The checks of one server in Barman's order, each run only where Barman runs it (spec: check §3).
/// Backup-only rows are left out (spec: check §6).
/// </summary>
internal sealed class ServerCheckRun(
    ServerOptions server,
    CheckStrategy strategy,
    Func<IReadOnlyList<WalArchiver>> silentArchivers,
    TimeSpan timeLimit,
    TimeProvider clock)
{
    private readonly PostgresProbe _pg = new(server.Conninfo, StreamingConninfoOf(server));
    private readonly LocalChecks _local = new(server, strategy);

    /// <summary>The rows that ask PostgreSQL (stateless over the shared probe).</summary>
    private PostgresChecks Postgres => new(server, strategy, _pg);

    public async Task RunAsync(CancellationToken ct)
    {
        await using (_pg.ConfigureAwait(false))
        {
            await WalArchiveAsync(ct).ConfigureAwait(false);
            _local.QueueChecks();
            if (!server.IsPassive)
                await Postgres.PostgresChecksAsync(ct).ConfigureAwait(false);
            _local.Directories();
            await EncryptionAsync(ct).ConfigureAwait(false);
            await new WalAgeAndSizeCheck(server, strategy, clock).RunAsync(ct).ConfigureAwait(false);
            _local.CompressionSettings();
            _local.Configuration();
            await Postgres.SystemIdCoherenceAsync(ct).ConfigureAwait(false);
            if (!server.IsPassive && server.StreamingArchiver)
                await Postgres.StreamingArchiverChecksAsync(ct).ConfigureAwait(false);
            if (!server.IsPassive && server.Archiver)
                await Postgres.FileArchiverChecksAsync(ct).ConfigureAwait(false);
            _local.ArchiverErrors();

            // barman-wal's own rows, after Barman's.
            IncompleteWalCheck.Run(server, strategy, clock);
            await new ConditionalWritesCheck(server, strategy, clock).RunAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The replication conninfo when a replication connection is configured.</summary>
    internal static string? StreamingConninfoOf(ServerOptions server) =>
        server.StreamingArchiver || server.BackupMethod == "postgres" ? server.StreamingConninfo : null;

    // Row 1 (spec: check §4.1).
    private async Task WalArchiveAsync(CancellationToken ct)
    {
        strategy.Begin("WAL archive");
        if (XlogDbHasLines())
            return;
        await ArchivePassAsync(ct).ConfigureAwait(false);
        if (XlogDbHasLines())
            return;
        if (server.Conninfo is not null && !server.IsPassive && await SwitchWalAsync(ct).ConfigureAwait(false))
        {
            var wait = timeLimit == TimeSpan.Zero || timeLimit.TotalSeconds < 3
                ? TimeSpan.FromSeconds(10)
                : TimeSpan.FromSeconds((long)timeLimit.TotalSeconds / 3);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < wait)
            {
                await ArchivePassAsync(ct).ConfigureAwait(false);
                if (XlogDbHasLines())
                    return;
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }

        if (XlogDbHasLines())
            return;
        strategy.Result("WAL archive", false, CheckDecisions.WithAdvice(
            "please make sure WAL shipping is setup",
            server.Archiver
                ? $"set archive_command to deliver WAL into '{server.IncomingWalsDirectory}' (or run receive-wal), then run 'barman-wal archive-wal {server.Name}'"
                : $"start 'barman-wal receive-wal {server.Name}', then run 'barman-wal archive-wal {server.Name}'"));
    }

    private async Task<bool> SwitchWalAsync(CancellationToken ct)
    {
        var client = await _pg.NormalAsync(ct).ConfigureAwait(false);
        if (client is null)
            return false;
        var privileges = await _pg.NormalValueAsync("privileges", (c, t) => c.GetPrivilegesAsync(t), ct).ConfigureAwait(false);
        if (privileges is not { HasBackupPrivileges: true })
            return false;
        try
        {
            await client.SwitchWalAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (PostgresQueryException)
        {
            return false;
        }
    }

    private async Task ArchivePassAsync(CancellationToken ct)
    {
        if (server.IsPassive)
            return;
        Directory.CreateDirectory(server.BarmanLockDirectory);
        using var serverLock = LockFile.TryAcquire(ServerLocks.ArchiveWal(server.BarmanLockDirectory, server.Name));
        if (serverLock is null)
            return;
        foreach (var archiver in silentArchivers())
            await archiver.ArchiveAsync(verbose: false, ct).ConfigureAwait(false);
    }

    private bool XlogDbHasLines()
    {
        var walsDirectory = server.UsesCloudWalStorage ? Path.Combine(server.BackupDirectory, "wals") : server.WalsDirectory;
        var path = XlogDbLocation.Resolve(server.Name, walsDirectory, server.XlogdbDirectory).Path;
        return new FileInfo(path) is { Exists: true, Length: > 0 };
    }

    // Row 17 (spec: check §4.7).
    private async Task EncryptionAsync(CancellationToken ct)
    {
        if (server.Encryption is null || server.Encryption == "none")
            return;
        strategy.Begin("encryption");
        if (server.EncryptionKeyId is null)
        {
            strategy.Result("encryption", false, CheckDecisions.WithAdvice(
                $"Encryption is set as {server.Encryption}, but encryption_key_id is unset", "set encryption_key_id to a key in the barman user's keyring"));
            return;
        }

        var ok = await GpgProbe.EncryptTestFileAsync(server.EncryptionKeyId, server.PathPrefix, ct).ConfigureAwait(false);
        strategy.Result("encryption", ok, ok ? "encryption test succeeded" : CheckDecisions.WithAdvice(
            "encryption test failed. Check the log file for more details",
            $"check that gpg is installed and 'gpg --list-keys {server.EncryptionKeyId}' finds the key"));
    }
}

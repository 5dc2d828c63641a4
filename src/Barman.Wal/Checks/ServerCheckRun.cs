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

    /// <summary>The rows that ask PostgreSQL (stateless over the shared probe).</summary>
    private PostgresChecks Postgres => new(server, strategy, _pg);

    public async Task RunAsync(CancellationToken ct)
    {
        await using (_pg.ConfigureAwait(false))
        {
            await WalArchiveAsync(ct).ConfigureAwait(false);
            QueueChecks();
            if (!server.IsPassive)
                await Postgres.PostgresChecksAsync(ct).ConfigureAwait(false);
            Directories();
            await EncryptionAsync(ct).ConfigureAwait(false);
            WalAgeAndSize();
            CompressionSettings();
            Configuration();
            await Postgres.SystemIdCoherenceAsync(ct).ConfigureAwait(false);
            if (!server.IsPassive && server.StreamingArchiver)
                await Postgres.StreamingArchiverChecksAsync(ct).ConfigureAwait(false);
            if (!server.IsPassive && server.Archiver)
                await Postgres.FileArchiverChecksAsync(ct).ConfigureAwait(false);
            ArchiverErrors();

            // barman-wal's own rows, after Barman's.
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

    // Rows 2–5 (spec: check §4.2).
    private void QueueChecks()
    {
        QueueCheck(server.Archiver, server.IncomingWalsDirectory, streaming: false, "empty incoming directory", "incoming WALs directory", "archiver");
        QueueCheck(server.StreamingArchiver, server.StreamingWalsDirectory, streaming: true, "empty streaming directory", "streaming WALs directory", "streaming_archiver");
    }

    private void QueueCheck(bool enabled, string directory, bool streaming, string emptyName, string queueName, string option)
    {
        var count = CheckDecisions.QueueLength(ListNames(directory), streaming);
        if (!enabled)
        {
            strategy.Begin(emptyName);
            if (count > 0)
                strategy.Result(emptyName, false, CheckDecisions.WithAdvice(
                    $"'{directory}' must be empty when {option}=off",
                    $"move those files away or set {option} = on"));
            return;
        }

        if (server.MaxIncomingWalsQueue is not { } max)
            return;
        strategy.Begin(queueName);
        if (count > max)
            strategy.Result(queueName, false, CheckDecisions.WithAdvice(
                $"there are too many WALs in queue: {count}, max {max}",
                $"run 'barman-wal archive-wal {server.Name}' (is cron running?) and look at the log for archiving errors"));
    }

    private static IEnumerable<string> ListNames(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>() : [];

    // Row 13 (spec: check §4.13).
    private void Directories()
    {
        if (server.Disabled)
            return;
        strategy.Begin("directories");
        string?[] paths =
        [
            server.BackupDirectory, server.BasebackupsDirectory, server.ErrorsDirectory, server.IncomingWalsDirectory,
            server.StreamingWalsDirectory, server.UsesCloudWalStorage ? null : server.WalsDirectory, server.XlogdbDirectory,
        ];
        foreach (var path in paths)
        {
            if (path is null || CloudUrl.Provider(path) is not null)
                continue;
            var error = CreateDirectory(path);
            if (error is not null)
            {
                strategy.Result("directories", false, CheckDecisions.WithAdvice($"{path}: {error}",
                    "create it, or make its parent writable for the barman user"));
                return;
            }
        }

        strategy.Result("directories", true);
    }

    private static string? CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "Permission denied";
        }
        catch (IOException e) when (File.Exists(path))
        {
            _ = e;
            return "File exists";
        }
        catch (IOException e)
        {
            return e.Message;
        }
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

    // Rows 18–19 (spec: check §4.8): barman-wal keeps no backups, so there is no "last backup".
    private void WalAgeAndSize()
    {
        strategy.Begin("wal maximum age");
        if (server.LastWalMaximumAge is null)
            strategy.Result("wal maximum age", true, "no last_wal_maximum_age provided");
        else
            strategy.Result("wal maximum age", false, CheckDecisions.WithAdvice(
                "No WAL files archived for last backup",
                "take a backup with Barman, or unset last_wal_maximum_age"));
        strategy.Begin("wal size");
        strategy.Result("wal size", true, CheckDecisions.PrettySize(0), $"{server.Name}_wals=0B");
    }

    // Row 20 (spec: check §4.9).
    private void CompressionSettings()
    {
        strategy.Begin("compression settings");
        if (server.Compression == "custom" && (server.CustomCompressionFilter is null || server.CustomDecompressionFilter is null))
            strategy.Result("compression settings", false, "set custom_compression_filter and custom_decompression_filter, or change compression");
        else
            strategy.Result("compression settings", true);
    }

    // Row 24 (spec: check §4.14).
    private void Configuration()
    {
        if (server.Messages.Count == 0)
            return;
        strategy.Begin("configuration");
        strategy.Result("configuration", false);
        foreach (var message in server.Messages)
            strategy.Detail("\t\t" + message);
    }

    // Row 32 (spec: check §4.12).
    private void ArchiverErrors()
    {
        strategy.Begin("archiver errors");
        var directory = new DirectoryInfo(server.ErrorsDirectory);
        var entries = directory.Exists ? directory.GetFileSystemInfos() : [];
        if (entries.Length == 0)
        {
            strategy.Result("archiver errors", true);
            return;
        }

        var summary = CheckDecisions.SummariseErrorFiles(entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        var newest = entries.OrderByDescending(e => e.LastWriteTimeUtc).ThenByDescending(e => e.Name, StringComparer.Ordinal)
            .Take(3).Select(e => e.Name);
        strategy.Result("archiver errors", false, CheckDecisions.WithAdvice(summary,
            string.Create(CultureInfo.InvariantCulture, $"newest: {string.Join(", ", newest)}; inspect them in '{directory.FullName}' and remove them once handled")));
    }
}
using System.Globalization;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Restore;

/// <summary>
/// A PostgreSQL 15 primary with a base backup taken by <c>pg_basebackup -X none</c> (so every WAL segment must
/// come from the archive), more writes after it (a table with known content) and a last <c>pg_switch_wal</c>:
/// the cluster's plain-copy archive_command left every segment and the backup label in its incoming
/// directory. <see cref="RecoverAsync"/> starts a copy of the backup in recovery with a given restore_command.
/// </summary>
public sealed class RecoveryFixture : IAsyncLifetime
{
    private const string Checksum = "SELECT count(*)::text || ':' || md5(string_agg(id::text || ':' || payload, ',' ORDER BY id)) FROM restored";

    public PostgresCluster Primary { get; } = new();

    /// <summary>The base backup (owned by the postgres OS user).</summary>
    public string BaseBackup => Path.Combine(Primary.RootDirectory, "base");

    /// <summary>The archived files (segments and backup label), in name order.</summary>
    public IReadOnlyList<string> Archived { get; private set; } = [];

    /// <summary>The archived segments only.</summary>
    public IReadOnlyList<string> Segments => Archived.Where(Barman.Wal.Xlog.WalName.IsWalFile).ToList();

    /// <summary>"rows:md5" of the table on the primary after the last write.</summary>
    public string Expected { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Primary.StartAsync();
        await Primary.ExecuteAsync("CREATE TABLE restored(id int PRIMARY KEY, payload text); INSERT INTO restored SELECT g, md5(g::text) FROM generate_series(1, 1000) g;");
        var backup = await PostgresUser.RunAsync(Prerequisites.PostgresBinary("pg_basebackup"),
            ["-h", Primary.SocketDirectory, "-p", Primary.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-D", BaseBackup, "-X", "none", "-c", "fast", "--no-sync"]);
        if (backup.ExitCode != 0)
            throw new InvalidOperationException($"pg_basebackup failed: {backup}");
        await Primary.ExecuteAsync(
            "INSERT INTO restored SELECT g, md5(g::text) || repeat('w', 600) FROM generate_series(1001, 12000) g; "
            + "UPDATE restored SET payload = 'updated ' || payload WHERE id % 7 = 0; DELETE FROM restored WHERE id % 11 = 0;");
        await Primary.GenerateSegmentsAsync(1);
        await Primary.ExecuteAsync("INSERT INTO restored VALUES (1000000, 'the last row, in the last segment')");
        await Primary.SwitchWalAsync();
        Expected = await Primary.ScalarAsync<string>(Checksum);
        await Task.Delay(200);
        Archived = Directory.GetFiles(Primary.IncomingDirectory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Copies every archived file into <paramref name="incoming"/> (where a plain-copy archive_command puts them).</summary>
    public void ShipTo(string incoming)
    {
        Directory.CreateDirectory(incoming);
        foreach (var name in Archived)
            File.Copy(Path.Combine(Primary.IncomingDirectory, name), Path.Combine(incoming, name));
    }

    /// <summary>
    /// Starts a copy of the base backup in archive recovery with <paramref name="restoreCommand"/> (run by the
    /// postgres OS user), waits until it has replayed the archive and promoted, and returns the table's
    /// "rows:md5" and the server log.
    /// </summary>
    public async Task<RecoveryResult> RecoverAsync(string restoreCommand, CancellationToken cancellationToken = default)
    {
        var data = Path.Combine(Primary.RootDirectory, "recovery-" + Guid.NewGuid().ToString("N")[..8]);
        var log = data + ".log";
        (await ProcessRunner.RunAsync("cp", ["-a", BaseBackup, data], timeout: TimeSpan.FromSeconds(60), cancellationToken: cancellationToken))
            .ExitCode.Should().Be(0);
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(data, "recovery.signal"), "", cancellationToken);
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.auto.conf"), string.Create(CultureInfo.InvariantCulture,
            $"\nport = {port}\nunix_socket_directories = '{Primary.SocketDirectory}'\narchive_mode = off\n"
            + $"restore_command = '{restoreCommand.Replace("'", "''", StringComparison.Ordinal)}'\nrecovery_target_timeline = 'latest'\n"), cancellationToken);
        if (Prerequisites.IsRoot)
            (await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", data], cancellationToken: cancellationToken)).ExitCode.Should().Be(0);
        var pgCtl = Prerequisites.PostgresBinary("pg_ctl");
        try
        {
            var start = await PostgresUser.RunAsync(pgCtl, ["start", "-w", "-t", "180", "-D", data, "-l", log], TimeSpan.FromSeconds(200));
            if (start.ExitCode != 0)
                return new RecoveryResult(null, await ReadLogAsync(log), $"pg_ctl start failed: {start}");
            var connection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=10";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
            while (true)
            {
                await using var conn = new Npgsql.NpgsqlConnection(connection);
                await conn.OpenAsync(cancellationToken);
                await using var inRecovery = new Npgsql.NpgsqlCommand("SELECT pg_is_in_recovery()", conn);
                if (!(bool)(await inRecovery.ExecuteScalarAsync(cancellationToken))!)
                {
                    await using var query = new Npgsql.NpgsqlCommand(Checksum, conn);
                    var state = (string?)await query.ExecuteScalarAsync(cancellationToken);
                    return new RecoveryResult(state, await ReadLogAsync(log), null);
                }

                if (DateTime.UtcNow > deadline)
                    return new RecoveryResult(null, await ReadLogAsync(log), "still in recovery after 180 s");
                await Task.Delay(100, cancellationToken);
            }
        }
        finally
        {
            await PostgresUser.RunAsync(pgCtl, ["stop", "-w", "-m", "immediate", "-D", data], TimeSpan.FromSeconds(60));
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string> ReadLogAsync(string path) => File.Exists(path) ? await File.ReadAllTextAsync(path) : "";

    public async Task DisposeAsync() => await Primary.DisposeAsync();
}

/// <summary>What a recovery ended with: the table state ("rows:md5") when promoted, the server log, or the failure.</summary>
public sealed record RecoveryResult(string? State, string ServerLog, string? Failure)
{
    /// <summary>How many segments PostgreSQL reported as restored from the archive.</summary>
    public int RestoredSegments => ServerLog.Split('\n').Count(l => l.Contains("restored log file \"", StringComparison.Ordinal) && l.Contains("from archive", StringComparison.Ordinal)
        && !l.Contains(".history", StringComparison.Ordinal));

    public override string ToString() => $"{Failure ?? "promoted"}: {State}\n--- server log ---\n{ServerLog}";
}

/// <summary>Runs programs as the postgres OS user (runuser when the tests run as root).</summary>
public static class PostgresUser
{
    public static Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
        Prerequisites.IsRoot
            ? ProcessRunner.RunAsync(Prerequisites.Program("runuser", "util-linux"), ["-u", "postgres", "--", program, .. arguments], timeout: timeout ?? TimeSpan.FromSeconds(120))
            : ProcessRunner.RunAsync(program, arguments, timeout: timeout ?? TimeSpan.FromSeconds(120));
}

using System.Globalization;
using System.Text;
using Npgsql;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL 15 cluster: initdb in a temp directory, listening on 127.0.0.1 and a
/// free port, socket in its own directory, archiving into an <c>incoming</c> directory. Runs as
/// the postgres OS user when the tests run as root. Stopped (fast) and deleted on dispose.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly TimeSpan ArchiveWait = TimeSpan.FromSeconds(30);
    private readonly PostgresClusterOptions _options;
    private readonly OsUser? _runAs;
    private bool _initialised;
    private bool _pgbenchInitialised;

    public PostgresCluster(PostgresClusterOptions? options = null)
    {
        _options = options ?? new PostgresClusterOptions();
        _runAs = Prerequisites.IsRoot ? OsUser.Find("postgres", "postgresql-15") : null;
        RootDirectory = Directory.CreateTempSubdirectory("barman-wal-pg-").FullName;
        DataDirectory = Path.Combine(RootDirectory, "data");
        SocketDirectory = Path.Combine(RootDirectory, "sock");
        LogFile = Path.Combine(RootDirectory, "postgres.log");
        IncomingDirectory = _options.IncomingDirectory ?? Path.Combine(RootDirectory, "incoming");
        Port = FreePort.Next();
    }

    /// <summary>The temp directory holding everything of this cluster.</summary>
    public string RootDirectory { get; }

    /// <summary>PGDATA.</summary>
    public string DataDirectory { get; }

    /// <summary>unix_socket_directories (a libpq <c>host=</c> value).</summary>
    public string SocketDirectory { get; }

    /// <summary>The server log (pg_ctl -l).</summary>
    public string LogFile { get; }

    /// <summary>Where the default archive_command puts completed segments.</summary>
    public string IncomingDirectory { get; }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The database superuser.</summary>
    public string Superuser => "postgres";

    /// <summary>libpq conninfo for the superuser over TCP, database postgres.</summary>
    public string ConnInfo => $"host=127.0.0.1 port={Port} user={Superuser} dbname=postgres";

    /// <summary>libpq conninfo over the unix socket.</summary>
    public string SocketConnInfo => $"host={SocketDirectory} port={Port} user={Superuser} dbname=postgres";

    /// <summary>An Npgsql connection string equivalent to <see cref="ConnInfo"/> (with synchronous_commit=local).</summary>
    public string NpgsqlConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = "postgres",
        Pooling = false,
        Timeout = 10,
        // The fixture's own writes must not wait for a synchronous standby that may not exist.
        Options = "-c synchronous_commit=local",
    }.ConnectionString;

    /// <summary>pg_control_system().system_identifier, known once started.</summary>
    public ulong SystemIdentifier { get; private set; }

    /// <summary>True between a successful start and a stop.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>Runs initdb on the first call, then starts the server (pg_ctl -w).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var first = !_initialised;
        if (first)
        {
            await InitDbAsync(cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            WriteSettings();
            var r = await RunPostgresToolAsync(
                "pg_ctl", ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile], TimeSpan.FromSeconds(90), cancellationToken);
            if (r.ExitCode == 0)
            {
                break;
            }

            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile, cancellationToken) : "";
            if (attempt < 3 && log.Contains("could not bind", StringComparison.Ordinal))
            {
                Port = FreePort.Next();   // someone else took the port meanwhile
                continue;
            }

            throw new InvalidOperationException($"pg_ctl start failed: {r}\n--- server log ---\n{log}");
        }

        IsRunning = true;
        SystemIdentifier = ulong.Parse(
            await ScalarAsync<string>("SELECT system_identifier::text FROM pg_control_system()", cancellationToken),
            CultureInfo.InvariantCulture);
        if (first)
        {
            await CreateObjectsAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server with <c>pg_ctl stop -m fast</c>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning)
        {
            return;
        }

        var r = await RunPostgresToolAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", DataDirectory], TimeSpan.FromSeconds(60), cancellationToken);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed: {r}");
        }

        IsRunning = false;
    }

    /// <summary>Runs SQL (several statements allowed) as the superuser.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var conn = await OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row of a query.</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken = default)
    {
        await using var conn = await OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        if (value is null or DBNull)
        {
            return default!;
        }

        return value is T t ? t : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>An open superuser connection (the caller disposes it).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var conn = new NpgsqlConnection(NpgsqlConnectionString);
        await conn.OpenAsync(cancellationToken);
        return conn;
    }

    /// <summary>
    /// Writes a little WAL, switches to a new segment and waits until the closed segment is
    /// archived (pg_stat_archiver; with the default archive_command it is then in incoming).
    /// </summary>
    /// <returns>The name of the closed segment.</returns>
    public async Task<string> SwitchWalAsync(CancellationToken cancellationToken = default)
    {
        var names = await SwitchAsync(1, cancellationToken);
        await WaitArchivedAsync(names[^1], cancellationToken);
        return names[^1];
    }

    /// <summary>Closes <paramref name="count"/> real segments in a row and waits until all are archived.</summary>
    /// <returns>The closed segments' names, in order.</returns>
    public async Task<IReadOnlyList<string>> GenerateSegmentsAsync(int count, CancellationToken cancellationToken = default)
    {
        var names = await SwitchAsync(count, cancellationToken);
        if (names.Count > 0)
        {
            await WaitArchivedAsync(names[^1], cancellationToken);
        }

        return names;
    }

    /// <summary>Waits until pg_stat_archiver reports <paramref name="walName"/> (or a later one) archived.</summary>
    public async Task WaitArchivedAsync(string walName, CancellationToken cancellationToken = default)
    {
        if (_options.ArchiveMode == "off")
        {
            return;
        }

        var deadline = DateTime.UtcNow + ArchiveWait;
        await using var conn = await OpenAsync(cancellationToken);
        while (true)
        {
            await using (var cmd = new NpgsqlCommand("SELECT coalesce(last_archived_wal, ''), failed_count, coalesce(last_failed_wal, '') FROM pg_stat_archiver", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                var last = reader.GetString(0);
                if (last.Length == 24 && string.CompareOrdinal(last, walName) >= 0)
                {
                    return;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException(
                        $"{walName} not archived after {ArchiveWait.TotalSeconds} s: last archived '{last}', failed {reader.GetInt64(1)} (last failed '{reader.GetString(2)}'); see {LogFile}");
                }
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// A real timeline switch: restarts the server in standby mode (<c>standby.signal</c>, replaying only its
    /// own pg_wal) and promotes it with <c>pg_ctl promote</c>; the old timeline's last segment is then
    /// archived as <c>.partial</c> with the new timeline's history file.
    /// </summary>
    public async Task RestartAsStandbyAndPromoteAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "standby.signal"), "", cancellationToken);
        await StartAsync(cancellationToken);
        var r = await RunPostgresToolAsync("pg_ctl", ["promote", "-w", "-t", "60", "-D", DataDirectory], TimeSpan.FromSeconds(90), cancellationToken);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl promote failed: {r}");
        }
    }

    /// <summary>Runs real pgbench: initialises once at <paramref name="scale"/>, then <paramref name="transactions"/> transactions.</summary>
    public async Task<ProcessResult> RunPgbenchAsync(int scale, int transactions, CancellationToken cancellationToken = default)
    {
        var pgbench = Prerequisites.PostgresBinary("pgbench");
        string[] conn = ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Superuser];
        var env = new Dictionary<string, string?> { ["PGOPTIONS"] = "-c synchronous_commit=local" };
        if (!_pgbenchInitialised)
        {
            var init = await ProcessRunner.RunAsync(pgbench, [.. conn, "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), "postgres"],
                environment: env, timeout: TimeSpan.FromMinutes(5), cancellationToken: cancellationToken);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench -i failed: {init}");
            }

            _pgbenchInitialised = true;
        }

        var run = await ProcessRunner.RunAsync(pgbench, [.. conn, "-n", "-c", "1", "-t", transactions.ToString(CultureInfo.InvariantCulture), "postgres"],
            environment: env, timeout: TimeSpan.FromMinutes(5), cancellationToken: cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"pgbench failed: {run}");
        }

        return run;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (IsRunning)
            {
                await StopAsync();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a leftover temp dir is harmless
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task<IReadOnlyList<string>> SwitchAsync(int count, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken);
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            // pg_switch_wal() does nothing in a segment with no WAL after its start: write a record first.
            await using var cmd = new NpgsqlCommand(
                "SELECT pg_walfile_name(pg_logical_emit_message(false, 'barman-wal-tests', 'switch')), pg_switch_wal()", conn);
            names.Add((string)(await cmd.ExecuteScalarAsync(cancellationToken))!);
        }

        return names;
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SocketDirectory);
        Directory.CreateDirectory(Path.Combine(RootDirectory, "archive-tmp"));
        Directory.CreateDirectory(IncomingDirectory);
        if (_runAs is not null)
        {
            await ChownAsync(RootDirectory, cancellationToken);
            if (_options.IncomingDirectory is not null)
            {
                await ChownAsync(IncomingDirectory, cancellationToken);
            }

            // archive_command writes as postgres; barman-wal, run as the tests' barman user, reads and removes
            File.SetUnixFileMode(IncomingDirectory, (UnixFileMode)0x1FF);
            OpenParentsForTraversal(IncomingDirectory);
        }

        var r = await RunPostgresToolAsync(
            "initdb",
            ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
             $"--wal-segsize={_options.WalSegmentSizeMb.ToString(CultureInfo.InvariantCulture)}"],
            TimeSpan.FromMinutes(2), cancellationToken);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed: {r}");
        }

        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), "\ninclude 'barman_wal_tests.conf'\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), HbaConf(), cancellationToken);
        _initialised = true;
    }

    private async Task CreateObjectsAsync(CancellationToken cancellationToken)
    {
        var sql = new StringBuilder();
        if (_options.PasswordUser is { } u)
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"CREATE ROLE {Ident(u.Name)} LOGIN {(u.Superuser ? "SUPERUSER" : "")} {(u.Replication ? "REPLICATION" : "")} PASSWORD {Literal(u.Password)};");
        }

        foreach (var slot in _options.ReplicationSlots)
        {
            sql.Append(CultureInfo.InvariantCulture, $"SELECT pg_create_physical_replication_slot({Literal(slot)});");
        }

        if (sql.Length > 0)
        {
            await ExecuteAsync(sql.ToString(), cancellationToken);
        }
    }

    private void WriteSettings()
    {
        var archiveCommand = _options.ArchiveCommand ?? DefaultArchiveCommand();
        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "127.0.0.1",
            ["port"] = Port.ToString(CultureInfo.InvariantCulture),
            ["unix_socket_directories"] = SocketDirectory,
            ["max_connections"] = "40",
            ["shared_buffers"] = "32MB",
            ["fsync"] = "off",
            ["dynamic_shared_memory_type"] = "posix",
            ["wal_level"] = _options.WalLevel,
            ["archive_mode"] = _options.ArchiveMode,
            ["archive_command"] = archiveCommand,
            ["max_wal_senders"] = _options.MaxWalSenders.ToString(CultureInfo.InvariantCulture),
            ["max_replication_slots"] = _options.MaxReplicationSlots.ToString(CultureInfo.InvariantCulture),
            ["synchronous_standby_names"] = _options.SynchronousStandbyNames,
            ["max_wal_size"] = "1GB",
            ["log_min_messages"] = "warning",
            ["log_line_prefix"] = "%m [%p] ",
        };
        foreach (var (k, v) in _options.Settings)
        {
            settings[k] = v;
        }

        var text = new StringBuilder("# written by the barman-wal test fixture\n");
        foreach (var (k, v) in settings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{k} = '{v.Replace("'", "''", StringComparison.Ordinal)}'\n");
        }

        var path = Path.Combine(DataDirectory, "barman_wal_tests.conf");
        File.WriteAllText(path, text.ToString());
    }

    private string DefaultArchiveCommand()
    {
        // Copy aside, then rename into incoming: a segment appears there complete or not at all.
        var tmp = Path.Combine(RootDirectory, "archive-tmp");
        return $"test ! -f '{IncomingDirectory}/%f' && cp %p '{tmp}/%f' && chmod 0644 '{tmp}/%f' && mv '{tmp}/%f' '{IncomingDirectory}/%f'";
    }

    private string HbaConf()
    {
        var hba = new StringBuilder("# TYPE DATABASE USER ADDRESS METHOD\n");
        if (_options.PasswordUser is { } u)
        {
            hba.Append(CultureInfo.InvariantCulture, $"host all {u.Name} 127.0.0.1/32 scram-sha-256\n");
            hba.Append(CultureInfo.InvariantCulture, $"host replication {u.Name} 127.0.0.1/32 scram-sha-256\n");
        }

        hba.Append("local all all trust\n");
        hba.Append("local replication all trust\n");
        hba.Append("host all all 127.0.0.1/32 trust\n");
        hba.Append("host replication all 127.0.0.1/32 trust\n");
        return hba.ToString();
    }

    private async Task<ProcessResult> RunPostgresToolAsync(string tool, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var binary = Prerequisites.PostgresBinary(tool);
        if (_runAs is null)
        {
            return await ProcessRunner.RunAsync(binary, args, workingDirectory: RootDirectory, timeout: timeout, cancellationToken: cancellationToken);
        }

        var runuser = Prerequisites.Program("runuser", "util-linux");
        return await ProcessRunner.RunAsync(runuser, ["-u", _runAs.Name, "--", binary, .. args], workingDirectory: RootDirectory, timeout: timeout, cancellationToken: cancellationToken);
    }

    private async Task ChownAsync(string path, CancellationToken cancellationToken)
    {
        var r = await ProcessRunner.RunAsync("chown", ["-R", $"{_runAs!.Uid}:{_runAs.Gid}", path], timeout: TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {path} failed: {r}");
        }
    }

    private static void OpenParentsForTraversal(string path)
    {
        // The postgres user must reach a test's incoming directory inside root's 0700 temp dirs.
        for (var d = Directory.GetParent(path); d is not null && d.FullName != "/"; d = d.Parent)
        {
            var mode = File.GetUnixFileMode(d.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(d.FullName, mode | UnixFileMode.OtherExecute);
            }
        }
    }

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

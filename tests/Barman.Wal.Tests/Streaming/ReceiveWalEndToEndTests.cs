using Barman.Wal.Streaming;
using Barman.Wal.Tests.Infrastructure;
using Barman.Wal.Xlog;

namespace Barman.Wal.Tests.Streaming;

/// <summary>receive-wal against a real PostgreSQL 15 and the real pg_receivewal, through the built CLI.</summary>
public sealed class ReceiveWalEndToEndTests(ReceiveWalClusterFixture fixture) : IClassFixture<ReceiveWalClusterFixture>, IDisposable
{
    private readonly PostgresCluster _pg = fixture.Cluster;
    private readonly List<BarmanHome> _homes = [];

    public void Dispose()
    {
        foreach (var home in _homes)
        {
            foreach (var pid in Libc.FindProcesses(home.StreamingDirectory()))
                Libc.Kill(pid, Libc.SIGKILL);
            home.Dispose();
        }
    }

    [Fact]
    public async Task CreateSlot_twice_reports_already_exists_and_if_not_exists_skips()
    {
        var (home, slot) = NewHome();

        var first = await RunAsync(home, "--create-slot", "pg1");
        var second = await RunAsync(home, "--create-slot", "pg1");
        var third = await RunAsync(home, "--create-slot", "--if-not-exists", "pg1");

        first.ExitCode.Should().Be(0, first.ToString());
        first.StdoutLines.Should().Equal($"Creating physical replication slot '{slot}' on server 'pg1'", $"Replication slot '{slot}' created");
        second.ExitCode.Should().Be(1);
        second.StdoutLines.Should().Equal($"Creating physical replication slot '{slot}' on server 'pg1'");
        second.StderrLines.Should().Equal($"ERROR: Replication slot '{slot}' already exists");
        third.ExitCode.Should().Be(0, third.ToString());
        third.StdoutLines.Should().EndWith($"Replication slot '{slot}' already exists and --if-not-exists was specified. Skipping creation");
        (await SlotAsync(slot)).Should().Be("f|");
    }

    [Fact]
    public async Task DropSlot_existing_then_missing_reports_does_not_exist()
    {
        var (home, slot) = NewHome();
        (await RunAsync(home, "--create-slot", "pg1")).ExitCode.Should().Be(0);

        var dropped = await RunAsync(home, "--drop-slot", "pg1");
        var again = await RunAsync(home, "--drop-slot", "pg1");

        dropped.ExitCode.Should().Be(0, dropped.ToString());
        dropped.StdoutLines.Should().Equal($"Dropping physical replication slot '{slot}' on server 'pg1'", $"Replication slot '{slot}' dropped");
        again.ExitCode.Should().Be(1);
        again.StderrLines.Should().Equal($"ERROR: Replication slot '{slot}' does not exist");
        (await SlotAsync(slot)).Should().BeNull();
    }

    [Fact]
    public async Task Stream_then_archive_wal_keeps_partial_and_stop_releases_lock()
    {
        var (home, slot) = NewHome(new() { ["create_slot"] = "auto" });
        await using var receiver = ReceiveWalProcess.Start(home, "pg1");
        await receiver.WaitForLineAsync(l => l.StartsWith("pg1: pg_receivewal: starting log streaming at", StringComparison.Ordinal));
        receiver.StdoutLines.Take(4).Should().Equal(
            "Starting receive-wal for server pg1",
            $"Creating replication slot '{slot}'",
            $"Creating physical replication slot '{slot}' on server 'pg1'",
            $"Replication slot '{slot}' created");

        var closed = await SwitchAndStreamAsync(home);
        var archived = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"]);
        archived.ExitCode.Should().Be(0, archived.ToString());
        home.ListArchive().Should().Contain($"{closed[..16]}/{closed}", archived + string.Join(',', BarmanHome.ListFiles(home.StreamingDirectory())));
        var partial = Directory.GetFiles(home.StreamingDirectory(), "*.partial").Should().ContainSingle().Subject;

        var stop = await RunAsync(home, "--stop", "pg1");

        stop.ExitCode.Should().Be(0, stop.ToString());
        stop.StdoutLines.Should().Equal($"Stopped process receive-wal({receiver.Pid})");
        (await receiver.WaitForExitAsync()).Should().Be(0, receiver.Describe());
        receiver.StdoutLines.Should().Contain("SIGINT received. Terminate gracefully.");
        ReceiveWalLock.ProbeOwner(home.Home, "pg1").Should().BeNull();
        Libc.FindProcesses(home.StreamingDirectory()).Should().BeEmpty("pg_receivewal must end with barman-wal");
        (await SlotAsync(slot)).Should().StartWith("f|");
        File.Exists(partial).Should().BeTrue();
        new FileInfo(partial).Length.Should().Be(16 * 1024 * 1024);
    }

    [Fact]
    public async Task Stream_started_as_root_runs_itself_and_pg_receivewal_as_barman_user()
    {
        var user = ToolUserOrFail();
        var (home, _) = await NewHomeWithSlotAsync();
        await using var receiver = ReceiveWalProcess.Start(home, asTestProcessUser: true, "pg1");
        await receiver.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
        var closed = await SwitchAndStreamAsync(home);

        var child = Libc.FindProcesses(home.StreamingDirectory()).Should().ContainSingle().Subject;
        foreach (var pid in new[] { receiver.Pid, child })
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            status.Should().Contain($"Uid:\t{user.Uid}\t{user.Uid}\t{user.Uid}\t{user.Uid}", $"pid {pid}");
            status.Should().Contain($"Gid:\t{user.Gid}\t{user.Gid}\t{user.Gid}\t{user.Gid}", $"pid {pid}");
        }

        var streamed = Directory.GetFiles(home.StreamingDirectory());
        streamed.Select(Path.GetFileName).Should().Contain(closed).And.Contain(n => n!.EndsWith(".partial", StringComparison.Ordinal));
        foreach (var path in streamed.Append(home.ReceiveWalLockPath()).Append(home.LogFile))
            OwnerOf(path).Should().Be(user.Uid, path);
        receiver.Signal(Libc.SIGINT);
        (await receiver.WaitForExitAsync()).Should().Be(0, receiver.Describe());
    }

    private static OsUser ToolUserOrFail() => OsUser.ToolUser
        ?? throw new PrerequisiteMissingException("starting receive-wal as root needs the tests to run as root");

    private static long OwnerOf(string path)
    {
        var r = ProcessRunner.RunAsync("stat", ["-c", "%u", path], timeout: TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        r.ExitCode.Should().Be(0, r.ToString());
        return long.Parse(r.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Second_receive_wal_is_refused_then_sigterm_exits_143_and_restart_resumes()
    {
        var (home, _) = await NewHomeWithSlotAsync();
        await using (var receiver = ReceiveWalProcess.Start(home, "pg1"))
        {
            await receiver.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));

            var second = await RunAsync(home, "pg1");

            second.ExitCode.Should().Be(1, second.ToString());
            second.StderrLines.Should().Equal("ERROR: Another receive-wal process is already running for server pg1.");
            ReceiveWalLock.ProbeOwner(home.Home, "pg1").Should().Be(receiver.Pid);
            await SwitchAndStreamAsync(home);
            // A stop request left for another process with this PID (one that ended long ago) is not ours.
            var stale = new ProcessIdentity(receiver.Pid, ProcessIdentity.Of(receiver.Pid)!.Value.StartTicks - 1);
            ReceiveWalStopRequest.Write(home.Home, "pg1", stale);
            receiver.Signal(Libc.SIGTERM);
            (await receiver.WaitForExitAsync()).Should().Be(143, receiver.Describe());
            File.ReadAllText(ReceiveWalStopRequest.PathFor(home.Home, "pg1")).Should().Be(stale + "\n");
        }

        ReceiveWalLock.ProbeOwner(home.Home, "pg1").Should().BeNull();
        Libc.FindProcesses(home.StreamingDirectory()).Should().BeEmpty();
        var partial = Path.GetFileName(Directory.GetFiles(home.StreamingDirectory(), "*.partial").Should().ContainSingle().Subject);
        await using var restarted = ReceiveWalProcess.Start(home, "pg1");
        var resumed = await restarted.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
        var segment = WalName.Parse(partial[..24]);
        resumed.Should().Be($"pg1: pg_receivewal: starting log streaming at {segment.Log:X}/{segment.Segment * 16 * 1024 * 1024:X} (timeline 1)");
        restarted.Signal(Libc.SIGINT);
        (await restarted.WaitForExitAsync()).Should().Be(0, restarted.Describe());
    }

    [Fact]
    public async Task Reset_after_slot_recreated_and_wal_switched_moves_partial_to_current_wal()
    {
        var (home, slot) = await NewHomeWithSlotAsync();
        await using (var receiver = ReceiveWalProcess.Start(home, "pg1"))
        {
            await receiver.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
            (await RunAsync(home, "--stop", "pg1")).ExitCode.Should().Be(0);
            await receiver.WaitForExitAsync();
        }

        var oldPartial = Directory.GetFiles(home.StreamingDirectory(), "*.partial").Should().ContainSingle().Subject;
        (await RunAsync(home, "--drop-slot", "pg1")).ExitCode.Should().Be(0);
        (await RunAsync(home, "--create-slot", "pg1")).ExitCode.Should().Be(0);
        await _pg.GenerateSegmentsAsync(2);
        var lsn = await _pg.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        var current = new WalSegmentArithmetic(WalSegmentArithmetic.DefaultSegmentSize).NameOf(1, WalSegmentArithmetic.ParseLsn(lsn));

        var reset = await RunAsync(home, "--reset", "pg1");
        var again = await RunAsync(home, "--reset", "pg1");

        reset.ExitCode.Should().Be(0, reset.ToString());
        reset.StdoutLines.Should().Equal(
            "Resetting receive-wal directory status",
            $"Removing status file {oldPartial}",
            $"Creating status file {home.StreamingDirectory()}/{current}.partial");
        new FileInfo(Path.Combine(home.StreamingDirectory(), current + ".partial")).Length.Should().Be(0);
        again.StdoutLines.Should().Equal("Nothing to do. Position of receive-wal is aligned.");
        await using var restarted = ReceiveWalProcess.Start(home, "pg1");
        await restarted.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
        (await SlotAsync(slot)).Should().StartWith("t|");
        restarted.Signal(Libc.SIGINT);
        (await restarted.WaitForExitAsync()).Should().Be(0, restarted.Describe());
    }

    [Fact]
    public async Task Killed_receive_wal_leaves_stale_lock_that_never_blocks()
    {
        var (home, slot) = await NewHomeWithSlotAsync();
        await using (var receiver = ReceiveWalProcess.Start(home, "pg1"))
        {
            await receiver.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
            receiver.Signal(Libc.SIGKILL);
            await receiver.WaitForExitAsync();
        }

        ReceiveWalLock.ProbeOwner(home.Home, "pg1").Should().BeNull("a dead owner's lock is free");
        var stop = await RunAsync(home, "--stop", "pg1");
        stop.ExitCode.Should().Be(1);
        stop.StderrLines.Should().Equal("ERROR: Termination of receive-wal failed: no such process for server pg1");

        // The orphaned pg_receivewal still holds the slot: "slot active elsewhere".
        var busy = await RunAsync(home, "pg1");
        busy.ExitCode.Should().Be(1, busy.ToString());
        busy.StderrLines.Should().Equal($"ERROR: ArchiverFailure:replication slot '{slot}' is already in use");

        foreach (var pid in Libc.FindProcesses(home.StreamingDirectory()))
            Libc.Kill(pid, Libc.SIGINT);
        await WaitUntilAsync(async () => (await SlotAsync(slot))!.StartsWith("f|", StringComparison.Ordinal));
        await using var restarted = ReceiveWalProcess.Start(home, "pg1");
        await restarted.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
        restarted.Signal(Libc.SIGTERM);
        (await restarted.WaitForExitAsync()).Should().Be(143, restarted.Describe());
    }

    [Fact]
    public async Task Stream_child_killed_reports_terminated_by_signal_and_postgres_stop_reports_error_code()
    {
        var (home, _) = await NewHomeWithSlotAsync();
        await using (var receiver = ReceiveWalProcess.Start(home, "pg1"))
        {
            await receiver.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
            var child = Libc.FindProcesses(home.StreamingDirectory()).Should().ContainSingle().Subject;

            Libc.Kill(child, Libc.SIGKILL);

            (await receiver.WaitForExitAsync()).Should().Be(1, receiver.Describe());
            receiver.StderrLines.Should().Equal("ERROR: ArchiverFailure:pg_receivewal terminated by signal: 9");
        }

        ReceiveWalLock.ProbeOwner(home.Home, "pg1").Should().BeNull();
        await using var again = ReceiveWalProcess.Start(home, "pg1");
        await again.WaitForLineAsync(l => l.Contains("starting log streaming at", StringComparison.Ordinal));
        await _pg.StopAsync();
        try
        {
            (await again.WaitForExitAsync()).Should().Be(1, again.Describe());
            again.StderrLines.Should().Equal("ERROR: ArchiverFailure:pg_receivewal terminated with error code: 1");
            again.StdoutLines.Should().Contain(l => l.StartsWith("pg1: pg_receivewal: error: ", StringComparison.Ordinal));
        }
        finally
        {
            await _pg.StartAsync();
        }
    }

    [Fact]
    public async Task Background_receive_wal_with_sigint_ignored_is_stopped_by_stop_and_exits_0()
    {
        var (home, slot) = await NewHomeWithSlotAsync();
        var log = Path.Combine(home.Root, "bg.out");
        var status = Path.Combine(home.Root, "bg.status");
        home.GiveToUser();
        var (program, commandLine, environment) = ToolRunner.Command(["-c", home.ConfigPath, "receive-wal", "pg1"], home.User);
        // A background job of a non-interactive shell: SIGINT ignored. The subshell records the exit status;
        // its own output goes to the log too, or it would hold the shell's pipes open.
        var command = $"( '{program}' {string.Join(' ', commandLine.Select(a => $"'{a}'"))}; echo $? >'{status}' ) >'{log}' 2>&1 </dev/null &";

        var shell = await ProcessRunner.RunAsync("/bin/sh", ["-c", command], environment, timeout: TimeSpan.FromSeconds(10));
        shell.ExitCode.Should().Be(0);
        await WaitUntilAsync(() => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("starting log streaming at", StringComparison.Ordinal)));
        var pid = ReceiveWalLock.ProbeOwner(home.Home, "pg1");
        pid.Should().NotBeNull();
        SignalDisposition(pid!.Value, Libc.SIGINT).Should().Be("ignored", "the background job must ignore SIGINT for --stop to escalate");

        var stop = await RunAsync(home, "--stop", "pg1");

        stop.ExitCode.Should().Be(0, stop.ToString() + File.ReadAllText(log));
        stop.StdoutLines.Should().Equal($"Stopped process receive-wal({pid})");
        await WaitUntilAsync(() => Task.FromResult(File.Exists(status) && File.ReadAllText(status).EndsWith('\n')));
        File.ReadAllText(status).Should().Be("0\n", "a stop --stop asked for is a clean stop, whatever signal it took\n" + File.ReadAllText(log));
        File.ReadAllText(log).Should().Contain("pg1: pg_receivewal: received interrupt signal, exiting").And.NotContain("SIGINT received");
        File.Exists(ReceiveWalStopRequest.PathFor(home.Home, "pg1")).Should().BeFalse("the stop request is gone with the receiver");
        ReceiveWalLock.ProbeOwner(home.Home, "pg1").Should().BeNull();
        Libc.FindProcesses(home.StreamingDirectory()).Should().BeEmpty("pg_receivewal must end with barman-wal");
        await WaitUntilAsync(async () => (await SlotAsync(slot))!.StartsWith("f|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_with_postgres_down_prints_impossible_to_start()
    {
        var down = $"host=127.0.0.1 port={FreePort.Next()} user=postgres dbname=postgres";
        var (home, _) = NewHome(new() { ["conninfo"] = down, ["streaming_conninfo"] = down });

        var r = await RunAsync(home, "pg1");

        r.ExitCode.Should().Be(1);
        r.StderrLines.Should().Equal("ERROR: Impossible to start WAL streaming. Check the log for more details, or run 'barman check pg1'");
        r.StdoutLines.Should().BeEmpty();
    }

    [Fact]
    public async Task Stream_without_pg_receivewal_on_path_prefix_reports_not_present()
    {
        var empty = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "no-pg-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var (home, _) = await NewHomeWithSlotAsync(new() { ["path_prefix"] = empty });

            var r = await ToolRunner.RunAsync(home, ["receive-wal", "pg1"], new Dictionary<string, string?> { ["PATH"] = "/nonexistent" });

            r.ExitCode.Should().Be(1, r.ToString());
            r.StdoutLines.Should().Equal("Starting receive-wal for server pg1");
            r.StderrLines.Should().Equal("ERROR: ArchiverFailure:pg_receivewal not present in $PATH");
            ReceiveWalLock.ProbeOwner(home.Home, "pg1").Should().BeNull();
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Stream_with_missing_manual_slot_tells_to_create_it()
    {
        var (home, slot) = NewHome();

        var r = await RunAsync(home, "pg1");

        r.ExitCode.Should().Be(1);
        r.StderrLines.Should().Equal(
            $"ERROR: ArchiverFailure:replication slot '{slot}' doesn't exist. Please execute 'barman receive-wal --create-slot pg1'");
    }

    private (BarmanHome Home, string Slot) NewHome(Dictionary<string, string>? extra = null)
    {
        var home = new BarmanHome();
        _homes.Add(home);
        var slot = "rw_" + Guid.NewGuid().ToString("N")[..12];
        var options = new Dictionary<string, string>
        {
            ["conninfo"] = _pg.ConnInfo,
            ["streaming_conninfo"] = _pg.ConnInfo,
            ["backup_method"] = "postgres",
            ["archiver"] = "off",
            ["streaming_archiver"] = "on",
            ["slot_name"] = slot,
        };
        foreach (var (k, v) in extra ?? [])
            options[k] = v;
        home.WriteConfig(options);
        home.CreateServerDirectories();
        return (home, slot);
    }

    private async Task<(BarmanHome Home, string Slot)> NewHomeWithSlotAsync(Dictionary<string, string>? extra = null)
    {
        var (home, slot) = NewHome(extra);
        var created = await RunAsync(home, "--create-slot", "pg1");
        created.ExitCode.Should().Be(0, created.ToString());
        return (home, slot);
    }

    private static Task<ProcessResult> RunAsync(BarmanHome home, params string[] arguments) =>
        ToolRunner.RunAsync(home, ["receive-wal", .. arguments]);

    /// <summary>"active|restart_lsn" of the slot, or null when it does not exist.</summary>
    private async Task<string?> SlotAsync(string slot)
    {
        await using var connection = await _pg.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT CASE WHEN active THEN 't' ELSE 'f' END || '|' || coalesce(restart_lsn::text, '') FROM pg_replication_slots WHERE slot_name = $1", connection);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = slot });
        return (string?)await cmd.ExecuteScalarAsync();
    }

    /// <summary>Closes a segment, waits until pg_receivewal completed it and has started the next partial.</summary>
    private async Task<string> SwitchAndStreamAsync(BarmanHome home)
    {
        var closed = await _pg.SwitchWalAsync();
        await WaitForFileAsync(Path.Combine(home.StreamingDirectory(), closed));
        await _pg.ExecuteAsync("CREATE TABLE IF NOT EXISTS receive_wal_t (i int); INSERT INTO receive_wal_t VALUES (1)");
        await WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(home.StreamingDirectory(), "*.partial").Length == 1));
        return closed;
    }

    /// <summary>"ignored", "caught" or "default": <paramref name="signal"/>'s disposition in <paramref name="pid"/>.</summary>
    private static string SignalDisposition(int pid, int signal)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status");
        ulong Mask(string name) => Convert.ToUInt64(line.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(), 16);
        var bit = 1UL << (signal - 1);
        return (Mask("SigIgn") & bit) != 0 ? "ignored" : (Mask("SigCgt") & bit) != 0 ? "caught" : "default";
    }

    private static Task WaitForFileAsync(string path) => WaitUntilAsync(() => Task.FromResult(File.Exists(path)));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met within " + seconds + " s");
            await Task.Delay(100);
        }
    }
}

using System.Diagnostics;
using Barman.Wal.Archiving;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Hooks;
using Barman.Wal.Hosting;
using Barman.Wal.Output;
using Barman.Wal.Retention;
using Barman.Wal.Streaming;
using Serilog;

namespace Barman.Wal.Cron;

/// <summary>
/// <c>cron</c>, the one crontab line: for every active server in name order, archive-wal (under that server's
/// own lock), then — with <c>streaming_archiver = on</c> and no receive-wal running — <c>receive-wal</c> started
/// detached as Barman does (spec: receive-wal §10), then purge-wal where <c>purge_wal_keep_days</c> or
/// <c>purge_wal_keep_size</c> is configured. One server failing does not stop the others; the exit code is
/// non-zero only when a server failed.
/// </summary>
public sealed class CronService(
    BarmanConfiguration configuration,
    ServerStorageFactory storages,
    WalPipelineFactory pipelines,
    IArchiveHooksFactory hooks,
    PurgeWalService purgeWal,
    BarmanOutput output,
    ILogger logger,
    TimeProvider clock)
{
    private static BarmanOutput Quiet(BarmanOutput output) =>
        new(output.Stdout, output.Stderr, OutputFormat.Console, quiet: true, debug: output.IsDebug);

    /// <summary>
    /// archive-wal as Barman's cron runs it (<c>-q</c>): its normal lines are not printed, its warnings and errors
    /// still reach stderr.
    /// </summary>
    private readonly ArchiveWalService _archiveWal = new(
        configuration, new ServerArchiverFactory(storages, pipelines, hooks, Quiet(output), logger, clock), Quiet(output), logger);

    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.cron");

    /// <summary>Runs the maintenance of every active server.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var selection = ServerSelection.Resolve(configuration, ["all"], output);
        var exitCode = selection.ExitCode;
        foreach (var server in selection.Servers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.Info($"Starting WAL archiving for server {server.Name}");
            exitCode = Math.Max(exitCode, await _archiveWal.RunAsync(new ArchiveWalRequest([server.Name]), cancellationToken).ConfigureAwait(false));
            if (server.StreamingArchiver && !server.IsPassive)
                exitCode = Math.Max(exitCode, StartReceiveWal(server));
            if (server.PurgeWalKeepDays is not null || server.PurgeWalKeepSize is not null)
                exitCode = Math.Max(exitCode, await purgeWal.PurgeServerAsync(server, PurgePolicy.None, dryRun: false, cancellationToken).ConfigureAwait(false));
        }

        return exitCode;
    }

    /// <summary>
    /// Starts <c>barman-wal -c CONFIG -q receive-wal SERVER</c> in its own session with stdin, stdout and stderr on
    /// /dev/null, unless the receive-wal lock is held (then silently nothing).
    /// </summary>
    private int StartReceiveWal(ServerOptions server)
    {
        if (ReceiveWalLock.ProbeOwner(server.BarmanLockDirectory, server.Name) is not null)
            return ExitCodes.Success;
        output.Info($"Starting streaming archiver for server {server.Name}");
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["-f", "sh", "-c", "exec \"$@\" </dev/null >/dev/null 2>&1", "sh", .. SelfCommand(),
                     "-c", configuration.ConfigFileReadPath, "-q", "receive-wal", server.Name])
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
            process.WaitForExit();
            return process.ExitCode == 0 ? ExitCodes.Success : Failed(server, $"setsid exited with status {process.ExitCode}");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return Failed(server, e.Message);
        }
    }

    private int Failed(ServerOptions server, string reason)
    {
        output.Error($"Cannot start receive-wal for server {server.Name}: {reason}");
        _log.Error("Cannot start receive-wal for server {Server}: {Reason}", server.Name, reason);
        return ExitCodes.Failure;
    }

    /// <summary>This tool's own command: the apphost, or <c>dotnet barman-wal.dll</c>.</summary>
    private static string[] SelfCommand()
    {
        var host = Environment.ProcessPath ?? "barman-wal";
        var entry = Environment.GetCommandLineArgs()[0];
        return Path.GetFileNameWithoutExtension(host) == "dotnet" && entry.EndsWith(".dll", StringComparison.Ordinal)
            ? [host, entry]
            : [host];
    }
}

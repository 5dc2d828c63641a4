using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Locking;
using Barman.Wal.Output;
using Serilog;

namespace Barman.Wal.Archiving;

/// <summary>
/// The <c>archive-wal</c> command (spec: archive-wal §1–2, §9): resolves the servers, takes each server's
/// archive-wal lock and runs its archivers; returns the exit code.
/// </summary>
public sealed class ArchiveWalService(
    BarmanConfiguration configuration,
    IServerArchiverFactory archivers,
    BarmanOutput output,
    ILogger logger)
{
    private readonly ILogger _serverLog = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.server");

    /// <summary>Runs archive-wal for every requested server, one after the other; the highest exit code wins.</summary>
    public async Task<int> RunAsync(ArchiveWalRequest request, CancellationToken cancellationToken = default)
    {
        var selection = ServerSelection.Resolve(configuration, request.Servers, output);
        var exitCode = selection.ExitCode;
        foreach (var server in selection.Servers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            exitCode = Math.Max(exitCode, await RunServerAsync(server, cancellationToken).ConfigureAwait(false));
        }

        return exitCode;
    }

    private async Task<int> RunServerAsync(ServerOptions server, CancellationToken cancellationToken)
    {
        output.Debug($"Starting archive-wal for server {server.Name}");
        _serverLog.Debug("Starting archive-wal for server {Server}", server.Name);
        Directory.CreateDirectory(server.BarmanLockDirectory);
        using var serverLock = LockFile.TryAcquire(ServerLocks.ArchiveWal(server.BarmanLockDirectory, server.Name));
        if (serverLock is null)
        {
            var busy = $"Another archive-wal process is already running on server {server.Name}. Skipping to the next server";
            output.Info(busy);
            _serverLog.Information("{Message}", busy);
            return ExitCodes.Success;
        }

        if (server.IsPassive)
            return ExitCodes.Success;

        try
        {
            foreach (var archiver in archivers.CreateArchivers(server))
                await archiver.ArchiveAsync(verbose: true, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            ReportException(e);
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private void ReportException(Exception e)
    {
        var message = ExceptionText.Of(e);
        output.Exception(message);
        logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.cli")
            .Error(e, "{Message}\nSee log file for more details.", message);
    }
}

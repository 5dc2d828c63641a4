using System.Globalization;
using System.Runtime.InteropServices;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Output;
using Serilog;

namespace Barman.Wal.Streaming;

/// <summary>
/// <c>receive-wal --stop</c> (spec: receive-wal §9): signals the process named in the held receive-wal lock
/// and waits up to 10 probes for it to end.
/// </summary>
/// <remarks>
/// Barman sends SIGINT only. A receiver started in the background of a non-interactive shell ignores
/// SIGINT, so when the process is still there after <see cref="EscalateAfterProbes"/> probes barman-wal
/// also sends SIGTERM, after leaving a <see cref="ReceiveWalStopRequest"/> naming the process: barman-wal's
/// receiver then stops pg_receivewal, releases the lock and exits 0, as a stop asked for is a clean stop.
/// </remarks>
public sealed class ReceiveWalStopper(BarmanOutput output, ILogger logger, TimeProvider time)
{
    /// <summary>Probes (one per second, the first at once) before giving up, as Barman.</summary>
    public const int Probes = 10;

    /// <summary>Failed probes after which SIGTERM follows the SIGINT.</summary>
    public const int EscalateAfterProbes = 3;

    /// <summary>Stops the server's receiver; returns the exit code.</summary>
    public async Task<int> StopAsync(ServerOptions server, CancellationToken cancellationToken = default)
    {
        var pid = ReceiveWalLock.ProbeOwner(server.BarmanLockDirectory, server.Name);
        if (pid == 0)
        {
            logger.Warning("Unable to read the PID from the receive-wal lock of server {Server}", server.Name);
            pid = null;
        }

        if (pid is null)
        {
            output.Error($"Termination of receive-wal failed: no such process for server {server.Name}");
            return ExitCodes.Failure;
        }

        var process = $"receive-wal({pid.Value.ToString(CultureInfo.InvariantCulture)})";
        logger.Information("Sending SIGINT to process {Process}", process);
        var errno = ReceiveWalLock.Signal(pid.Value, StreamingNative.SIGINT);
        if (errno != 0 && errno != StreamingNative.ESRCH)
        {
            output.Error($"[Errno {errno.ToString(CultureInfo.InvariantCulture)}] {Marshal.GetPInvokeErrorMessage(errno)}");
            output.Error($"Cannot terminate process {process}");
            return ExitCodes.Failure;
        }

        ProcessIdentity? escalated = null;
        for (var probe = 1; probe <= Probes; probe++)
        {
            if (!ReceiveWalLock.IsAlive(pid.Value))
            {
                if (escalated is { } stopped)
                    ReceiveWalStopRequest.Remove(server.BarmanLockDirectory, server.Name, stopped);
                output.Info($"Stopped process {process}");
                logger.Information("Stopped process {Process}", process);
                return ExitCodes.Success;
            }

            if (probe == EscalateAfterProbes)
            {
                logger.Information("Process {Process} ignored SIGINT; sending SIGTERM", process);
                escalated = RequestStop(server, pid.Value, process);
                ReceiveWalLock.Signal(pid.Value, StreamingNative.SIGTERM);
            }

            if (probe < Probes)
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }

        output.Error($"Cannot terminate process {process}");
        return ExitCodes.Failure;
    }

    /// <summary>Leaves the note that tells the receiver its coming SIGTERM is this stop; null when it cannot.</summary>
    private ProcessIdentity? RequestStop(ServerOptions server, int pid, string process)
    {
        try
        {
            if (ProcessIdentity.Of(pid) is not { } target)
                return null;
            ReceiveWalStopRequest.Write(server.BarmanLockDirectory, server.Name, target);
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The stop still happens; the receiver then reports the SIGTERM as any other (exit 143).
            logger.Warning("Cannot record the stop request of process {Process}: {Message}", process, e.Message);
            return null;
        }
    }
}

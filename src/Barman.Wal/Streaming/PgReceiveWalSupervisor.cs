using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Barman.Wal.Errors;
using Barman.Wal.Output;
using Serilog;

namespace Barman.Wal.Streaming;

/// <summary>
/// Runs pg_receivewal in the foreground (spec: receive-wal §5): its stdout and stderr lines relayed as
/// <c>&lt;server&gt;: &lt;line&gt;</c>, SIGINT/SIGTERM forwarded, its exit status mapped to Barman's.
/// </summary>
/// <remarks>
/// Unlike Barman, the supervisor waits (bounded by <see cref="StopTimeout"/>) for the child after
/// forwarding a signal, so the lock is released only once pg_receivewal has flushed and exited. Both
/// SIGINT and SIGTERM are forwarded to the child as SIGINT: pg_receivewal exits cleanly (fsyncs its
/// partial file) on SIGINT and dies on SIGTERM.
/// </remarks>
public sealed class PgReceiveWalSupervisor(BarmanOutput output, ILogger logger)
{
    /// <summary>How long to wait for pg_receivewal after a stop signal before killing it.</summary>
    public static TimeSpan StopTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="arguments"/> (binary first) until it exits or barman-wal is signalled; returns
    /// the exit code (0, or 143 after SIGTERM).
    /// </summary>
    /// <exception cref="ArchiverFailureException">The child failed on its own (error code or signal).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled without a signal.</exception>
    public async Task<int> RunAsync(
        string serverName,
        string commandName,
        IReadOnlyList<string> arguments,
        string? pathOverride,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(arguments[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false, false),
            StandardErrorEncoding = new UTF8Encoding(false, false),
        };
        foreach (var argument in arguments.Skip(1))
            info.ArgumentList.Add(argument);
        if (pathOverride is not null)
            info.Environment["PATH"] = pathOverride;

        logger.Information("Starting {Command} for server {Server}: {Arguments}", commandName, serverName, string.Join(' ', arguments));
        var relay = new ChildSignals();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; relay.Receive(StreamingNative.SIGINT); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; relay.Receive(StreamingNative.SIGTERM); });

        using var process = Process.Start(info) ?? throw new ArchiverFailureException($"{commandName} could not be started");
        process.StandardInput.Close();
        relay.Attach(process.Id, OnFirstSigint);
        var hints = new ReceiveWalFailureHints();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, serverName, hints),
            PumpAsync(process.StandardError, serverName, hints));

        using var cancelled = cancellationToken.Register(relay.RequestStop);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var first = await Task.WhenAny(exited, relay.Stopping).ConfigureAwait(false);
        if (first != exited && await Task.WhenAny(exited, Task.Delay(StopTimeout, CancellationToken.None)).ConfigureAwait(false) != exited)
        {
            logger.Warning("{Command} did not stop within {Timeout}; killing it", commandName, StopTimeout);
            process.Kill();
            await exited.ConfigureAwait(false);
        }

        await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        var status = process.ExitCode;
        logger.Information("{Command} for server {Server} exited with status {Status}", commandName, serverName, status);

        switch (relay.Signal)
        {
            case StreamingNative.SIGTERM:
                return 128 + StreamingNative.SIGTERM;
            case StreamingNative.SIGINT:
                return ExitCodes.Success;
        }

        if (relay.StopRequested)
            throw new OperationCanceledException(cancellationToken);

        if (status == 0)
            return ExitCodes.Success;
        var hint = hints.Hint(serverName);
        if (hint is not null)
        {
            output.Warning(hint);
            logger.Warning("{Hint}", hint);
        }

        throw status > 128
            ? new ArchiverFailureException($"{commandName} terminated by signal: {(status - 128).ToString(CultureInfo.InvariantCulture)}")
            : new ArchiverFailureException($"{commandName} terminated with error code: {status.ToString(CultureInfo.InvariantCulture)}");
    }

    private void OnFirstSigint()
    {
        const string Line = "SIGINT received. Terminate gracefully.";
        output.Info(Line);
        logger.Information("{Message}", Line);
    }

    private async Task PumpAsync(StreamReader reader, string serverName, ReceiveWalFailureHints hints)
    {
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
                continue;
            hints.Observe(line);
            output.Info($"{serverName}: {line}");
            logger.Information("{Server}: {Line}", serverName, line);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Barman.Wal.Archiving;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Hooks;
using Barman.Wal.Hosting;
using Barman.Wal.Output;
using Serilog;

namespace Barman.Wal.Checks;

/// <summary>
/// The <c>check</c> command (spec: check): every requested server in name order, each under its
/// <c>check_timeout</c>, written as console lines, Nagios output or JSON; returns the exit code.
/// </summary>
public sealed class CheckService(
    BarmanConfiguration configuration,
    BarmanOutput output,
    IServiceProvider services,
    WalPipelineFactory pipelines,
    IArchiveHooksFactory hooks,
    ILogger logger,
    TimeProvider clock)
{
    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.server");

    /// <summary>Checks the servers of <paramref name="request"/>.</summary>
    public async Task<int> RunAsync(CheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Nagios prints nothing but its summary: errors still count, silently.
        var lines = request.Nagios ? new BarmanOutput(TextWriter.Null, TextWriter.Null, OutputFormat.Console, quiet: true, debug: false) : output;
        CheckWriter writer = request.Nagios ? new NagiosCheckWriter(output.Stdout) : output.Format == OutputFormat.Json
            ? new JsonCheckWriter(output)
            : new ConsoleCheckWriter(output);
        if (request.Nagios)
            output.ReleaseStdout();

        foreach (var server in Select(configuration, request.Servers, lines))
        {
            var state = !server.Active ? CheckServerState.Inactive : server.Disabled ? CheckServerState.Disabled : CheckServerState.Active;
            writer.BeginServer(server.Name, state);
            try
            {
                await CheckServerAsync(server, request.CheckTimeout ?? server.CheckTimeout, writer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var message = ExceptionText.Of(e);
                lines.Exception(message);
                logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.cli")
                    .Error(e, "{Message}\nSee log file for more details.", message);
                break;
            }
        }

        return writer.Close(lines.ErrorOccurred);
    }

    /// <summary>
    /// The servers named (or <c>all</c>), once each in name order; configuration errors, unknown names and
    /// <c>all</c> with other names are reported as errors on <paramref name="lines"/> (shared with status).
    /// </summary>
    internal static List<ServerOptions> Select(BarmanConfiguration configuration, IReadOnlyList<string> names, BarmanOutput lines)
    {
        foreach (var error in configuration.Errors)
            lines.Error(error);
        if (configuration.Errors.Count > 0)
            return [];
        var selected = new SortedDictionary<string, ServerOptions>(StringComparer.Ordinal);
        if (names.Contains("all"))
        {
            if (names.Count > 1)
                lines.Error("You cannot use 'all' with other server names");
            foreach (var server in configuration.Servers)
                selected[server.Name] = server;
        }
        else
        {
            foreach (var name in names)
            {
                if (configuration.FindServer(name) is { } server)
                    selected[server.Name] = server;
                else
                    lines.Error($"Unknown server '{name}'");
            }
        }

        foreach (var server in selected.Values)
        {
            foreach (var warning in server.CommandWarnings)
                lines.Warning(warning);
        }

        return [.. selected.Values];
    }

    private async Task CheckServerAsync(ServerOptions server, long timeoutSeconds, CheckWriter writer, CancellationToken cancellationToken)
    {
        var strategy = new CheckStrategy(server.Name, writer);
        var silent = new BarmanOutput(TextWriter.Null, TextWriter.Null, OutputFormat.Console, quiet: true, debug: false);
        var archivers = new ServerArchiverFactory(services.GetRequiredService<Hosting.ServerStorageFactory>(), pipelines, hooks, silent, logger, clock);
        var limit = timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : TimeSpan.Zero;
        var run = new ServerCheckRun(server, strategy, () => archivers.CreateArchivers(server), limit, clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit > TimeSpan.Zero)
            timeout.CancelAfter(limit);
        var checks = run.RunAsync(timeout.Token);
        try
        {
            await checks.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _log.Error("Check '{Check}' timed out for server {Server}", strategy.Running, server.Name);
            strategy.Close("check timeout", "barman check command timed out");
            _ = checks.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return;
        }

        strategy.Close();
    }
}

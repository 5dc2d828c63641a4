using Barman.Wal.Checks;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Output;

namespace Barman.Wal.Status;

/// <summary>
/// The <c>status</c> command: per server in name order, Barman's lines then barman-wal's (console or JSON), or
/// with <c>--prometheus</c> only barman-wal's gauges. Exit 0, also when PostgreSQL is unreachable; 1 after an
/// unknown server name or a configuration error.
/// </summary>
public sealed class StatusService(BarmanConfiguration configuration, BarmanOutput output, TimeProvider clock)
{
    /// <summary>Shows the servers of <paramref name="request"/>.</summary>
    public async Task<int> RunAsync(StatusRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var servers = CheckService.Select(configuration, request.Servers, output);
        if (request.Prometheus)
        {
            var statuses = new List<ServerWalStatus>();
            foreach (var server in servers)
                statuses.Add(await WalStatusCollector.CollectAsync(server, clock, cancellationToken).ConfigureAwait(false));
            output.ReleaseStdout();
            await output.Stdout.WriteAsync(PrometheusStatusWriter.Render(statuses)).ConfigureAwait(false);
            await output.Stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return output.ErrorOccurred ? ExitCodes.Failure : ExitCodes.Success;
        }

        foreach (var server in servers)
        {
            var lines = await BarmanStatusLines.CollectAsync(server, cancellationToken).ConfigureAwait(false);
            lines.AddRange(WalStatusLines.Of(await WalStatusCollector.CollectAsync(server, clock, cancellationToken).ConfigureAwait(false)));
            Write(server.Name, lines);
        }

        return output.ErrorOccurred ? ExitCodes.Failure : ExitCodes.Success;
    }

    private void Write(string server, List<StatusLine> lines)
    {
        if (output.Format == OutputFormat.Json)
        {
            var member = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                member[line.Key] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["description"] = line.Label,
                    ["message"] = PasswordMask.Apply(line.Value),
                };
            }

            output.SetJsonMember(server, member);
            return;
        }

        output.Info($"Server {server}:");
        foreach (var line in lines)
            output.Info($"\t{line.Label}: {PasswordMask.Apply(line.Value)}");
    }
}

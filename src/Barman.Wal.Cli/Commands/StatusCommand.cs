using System.CommandLine;
using Barman.Wal.Status;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>status [--prometheus] SERVER...|all</c>: Barman's status lines plus barman-wal's WAL values.</summary>
internal static class StatusCommand
{
    private static readonly Argument<string[]> Servers = new("SERVER_NAME")
    {
        Description = "server name(s) to show, or 'all'",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<bool> Prometheus = new("--prometheus")
    {
        Description = "print barman-wal's gauges in node_exporter textfile format",
    };

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("status", "Shows live information and status of the PostgreSQL server") { Servers, Prometheus };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<StatusService>().RunAsync(
                new StatusRequest(result.GetValue(Servers)!, result.GetValue(Prometheus)), ct), token));
        return command;
    }
}

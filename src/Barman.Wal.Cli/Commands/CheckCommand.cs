using System.CommandLine;
using System.Globalization;
using Barman.Wal.Checks;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>check [--nagios] [--check-timeout N] SERVER...|all</c>: archiving health for people and monitoring.</summary>
internal static class CheckCommand
{
    private static readonly Argument<string[]> Servers = new("SERVER_NAME")
    {
        Description = "server name(s) to check, or 'all'",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<bool> Nagios = new("--nagios") { Description = "Nagios plugin compatible output" };

    private static readonly Option<long?> CheckTimeout = new("--check-timeout")
    {
        Description = "time limit in seconds for the checks of each server (0 = none)",
        HelpName = "CHECK_TIMEOUT",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                return seconds;
            result.AddError($"argument --check-timeout: '{text}' is not a valid non negative integer");
            return null;
        },
    };

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("check", "Check if the server configuration is working") { Servers, Nagios, CheckTimeout };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<CheckService>().RunAsync(
                new CheckRequest(result.GetValue(Servers)!, result.GetValue(Nagios), result.GetValue(CheckTimeout)), ct), token));
        return command;
    }
}

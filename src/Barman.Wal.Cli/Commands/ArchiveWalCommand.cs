using System.CommandLine;
using Barman.Wal.Archiving;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>archive-wal SERVER...|all</c>: move WAL from incoming/streaming into the archive.</summary>
internal static class ArchiveWalCommand
{
    private static readonly Argument<string[]> Servers = new("SERVER_NAME")
    {
        Description = "server name(s) to archive, or 'all'",
        Arity = ArgumentArity.OneOrMore,
    };

    static ArchiveWalCommand() =>
        Servers.Validators.Add(r =>
        {
            // argparse: an option after the verb is not a server name but "unrecognized arguments" (exit 2)
            foreach (var token in r.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
                r.AddError($"unrecognized arguments: {token.Value}");
        });

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("archive-wal", "Execute maintenance operations on WAL files for a given server") { Servers };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<ArchiveWalService>().RunAsync(new ArchiveWalRequest(result.GetValue(Servers)!), ct), token));
        return command;
    }
}

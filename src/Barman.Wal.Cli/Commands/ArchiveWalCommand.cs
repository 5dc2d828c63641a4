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

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("archive-wal", "Execute maintenance operations on WAL files for a given server") { Servers };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<ArchiveWalService>().RunAsync(new ArchiveWalRequest(result.GetValue(Servers)!), ct), token));
        return command;
    }
}

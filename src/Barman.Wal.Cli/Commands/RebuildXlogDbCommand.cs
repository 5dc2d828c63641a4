using System.CommandLine;
using Barman.Wal.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>rebuild-xlogdb SERVER...|all</c>: the WAL catalog re-derived from the archive.</summary>
internal static class RebuildXlogDbCommand
{
    private static readonly Argument<string[]> Servers = new("SERVER_NAME")
    {
        Description = "server name(s) to rebuild the WAL catalog of, or 'all'",
        Arity = ArgumentArity.OneOrMore,
    };

    static RebuildXlogDbCommand() =>
        Servers.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
                r.AddError($"unrecognized arguments: {token.Value}");
        });

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("rebuild-xlogdb", "Rebuild the WAL file database guessing it from the disk content.") { Servers };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<RebuildXlogDbService>().RunAsync(result.GetValue(Servers)!, ct), token));
        return command;
    }
}

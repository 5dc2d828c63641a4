using System.CommandLine;
using System.Globalization;
using Barman.Wal.Verification;
using Barman.Wal.Xlog;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>verify-wal [--fast] [--since WAL] [--timeline N] SERVER...|all</c>: proves archives restorable.</summary>
internal static class VerifyWalCommand
{
    private static readonly Argument<string[]> Servers = new("SERVER_NAME")
    {
        Description = "server name(s) to verify, or 'all'",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<bool> Fast = new("--fast") { Description = "names, catalog and sizes only: do not read the stored content" };

    private static readonly Option<string?> Since = new("--since")
    {
        Description = "only WAL at or after this segment's position (any timeline)",
        HelpName = "WAL",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (WalName.TryParse(text, out var name) && name.Kind == WalFileKind.Segment && name.Name == text)
                return text;
            result.AddError($"argument --since: '{text}' is not a WAL segment name");
            return null;
        },
    };

    private static readonly Option<uint?> Timeline = new("--timeline")
    {
        Description = "only this timeline's WAL",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var timeline) && timeline > 0)
                return timeline;
            result.AddError($"argument --timeline: '{text}' is not a positive integer");
            return null;
        },
    };

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("verify-wal", "Verify that the WAL archive is complete, catalogued and readable") { Servers, Fast, Since, Timeline };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<VerifyWalService>().RunAsync(
                new VerifyWalRequest(result.GetValue(Servers)!, result.GetValue(Fast), result.GetValue(Since), result.GetValue(Timeline)), ct), token));
        return command;
    }
}

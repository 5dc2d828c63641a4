using System.CommandLine;
using Barman.Wal.Retention;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>purge-wal [--dry-run] [--keep-days N] [--keep-size SIZE] [--before WAL] SERVER...|all</c>.</summary>
internal static class PurgeWalCommand
{
    private static readonly Argument<string[]> Servers = new("SERVER_NAME")
    {
        Description = "server name(s) to purge, or 'all'",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "list what would be removed (name, size, total) and change nothing" };

    private static readonly Option<long?> KeepDays = new("--keep-days") { Description = "without backups: keep the last N days of WAL", HelpName = "N" };

    private static readonly Option<string?> KeepSize = new("--keep-size") { Description = "without backups: keep the newest SIZE of WAL (e.g. 50GB, 512MiB)", HelpName = "SIZE" };

    private static readonly Option<string?> Before = new("--before") { Description = "without backups: remove WAL before this segment name", HelpName = "WAL_NAME" };

    static PurgeWalCommand()
    {
        Servers.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
                r.AddError($"unrecognized arguments: {token.Value}");
        });
        KeepSize.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && PurgePolicy.ParseSize(r.Tokens[0].Value) is null)
                r.AddError($"argument --keep-size: '{r.Tokens[0].Value}' is not a valid size (e.g. 50GB, 512MiB, 1000000)");
        });
        KeepDays.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is { } days && PurgePolicy.Validate(days, null) is { } error)
                r.AddError(error);
        });
        Before.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && PurgePolicy.Validate(null, r.Tokens[0].Value) is { } error)
                r.AddError(error);
        });
    }

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("purge-wal", "Remove archived WAL files that no recovery can need")
        {
            Servers, DryRun, KeepDays, KeepSize, Before,
        };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
        {
            var size = result.GetValue(KeepSize) is { } text ? PurgePolicy.ParseSize(text) : null;
            var policy = new PurgePolicy(result.GetValue(KeepDays), size, result.GetValue(Before));
            return services.GetRequiredService<PurgeWalService>().RunAsync(
                new PurgeWalRequest(result.GetValue(Servers)!, policy, result.GetValue(DryRun)), ct);
        }, token));
        return command;
    }
}

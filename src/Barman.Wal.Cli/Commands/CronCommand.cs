using System.CommandLine;
using Barman.Wal.Cron;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>cron</c>: archive-wal, receive-wal start and configured WAL purge for every active server.</summary>
internal static class CronCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("cron", "Run maintenance tasks (archive-wal, receive-wal, configured WAL purge) for every active server");
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<CronService>().RunAsync(ct), token));
        return command;
    }
}

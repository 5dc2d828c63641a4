using System.CommandLine;
using Barman.Wal.Receiving;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>put-wal [-t|--test] SERVER_NAME</c>: receive one WAL from <c>barman-wal-archive</c> as a tar on stdin.</summary>
internal static class PutWalCommand
{
    private static readonly Argument<string> Server = new("server_name") { Description = "specifies the server name for the command" };

    private static readonly Option<bool> Test = new("--test", "-t") { Description = "test both the connection and the configuration of the requested PostgreSQL server in Barman to make sure it is ready to receive WAL files" };

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("put-wal", "Receive a WAL file from SERVER_NAME and securely store it in the incoming directory") { Server, Test };
        command.SetAction((result, token) => runner.RunAsync(result, async (services, ct) =>
        {
            await using var stdin = Console.OpenStandardInput();
            var request = new PutWalRequest(result.GetValue(Server)!, result.GetValue(Test), stdin, Environment.GetEnvironmentVariable("SSH_CONNECTION"));
            return await services.GetRequiredService<PutWalService>().RunAsync(request, ct).ConfigureAwait(false);
        }, token));
        return command;
    }
}

using System.CommandLine;
using Barman.Wal.Streaming;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>receive-wal [--stop|--reset|--create-slot [--if-not-exists]|--drop-slot] SERVER</c>: WAL streaming with pg_receivewal.</summary>
internal static class ReceiveWalCommand
{
    private static readonly Argument<string> Server = new("SERVER_NAME") { Description = "specifies the server name for the command" };

    private static readonly Option<bool> Stop = new("--stop") { Description = "stop the receive-wal subprocess for the server" };

    private static readonly Option<bool> Reset = new("--reset") { Description = "reset the status of receive-wal removing any status files" };

    private static readonly Option<bool> CreateSlot = new("--create-slot") { Description = "create the replication slot, if it does not exist" };

    private static readonly Option<bool> IfNotExists = new("--if-not-exists")
    {
        Description = "do not error out if the slot already exists (only with --create-slot)",
    };

    private static readonly Option<bool> DropSlot = new("--drop-slot") { Description = "drop the replication slot, if it exists" };

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("receive-wal", "Start a receive-wal process. The process uses the streaming protocol to receive WAL files from the PostgreSQL server.")
        {
            Server, Stop, Reset, CreateSlot, IfNotExists, DropSlot,
        };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<ReceiveWalService>().RunAsync(
                new ReceiveWalRequest(
                    result.GetValue(Server)!,
                    Stop: result.GetValue(Stop),
                    Reset: result.GetValue(Reset),
                    CreateSlot: result.GetValue(CreateSlot),
                    IfNotExists: result.GetValue(IfNotExists),
                    DropSlot: result.GetValue(DropSlot)),
                ct), token));
        return command;
    }
}

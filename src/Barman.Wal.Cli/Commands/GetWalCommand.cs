using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Barman.Wal.Restore;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli.Commands;

/// <summary><c>get-wal [OPTIONS] SERVER_NAME WAL_NAME</c>: hand an archived WAL file back (restore_command).</summary>
internal static class GetWalCommand
{
    private static readonly Argument<string> Server = new("SERVER_NAME") { Description = "server name" };

    private static readonly Argument<string> Wal = new("WAL_NAME") { Description = "the WAL file to get" };

    private static readonly Option<string?> OutputDirectory = new("--output-directory", "-o")
    {
        Description = "put the retrieved WAL file in this directory with the original name",
        HelpName = "OUTPUT_DIRECTORY",
    };

    private static readonly Option<bool> Partial = new("--partial", "-P") { Description = "retrieve also partial WAL files (.partial)" };

    private static readonly Option<bool> Gzip = new("--gzip", "-z", "-x") { Description = "compress the output with gzip" };

    private static readonly Option<bool> Bzip2 = new("--bzip2", "-j") { Description = "compress the output with bzip2" };

    private static readonly Option<bool> KeepCompression = new("--keep-compression") { Description = "do not decompress the WAL file" };

    private static readonly Option<int?> Peek = new("--peek", "-p")
    {
        Description = "peek from the WAL archive up to N WAL files, starting from the requested one",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, "--peek/-p"),
    };

    private static readonly Option<bool> Test = new("--test", "-t") { Description = "test both the connection and the configuration of the requested PostgreSQL server" };

    private static readonly Option<int?> Prefetch = new("--prefetch")
    {
        Description = "barman-wal: after a segment, fetch the next N segments in the background into the spool directory",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, "--prefetch"),
    };

    private static readonly Option<string?> SpoolDirectory = new("--spool-dir")
    {
        Description = "barman-wal: the prefetch spool (default $TMPDIR/barman-wal-prefetch-SERVER-USER)",
        HelpName = "DIR",
    };

    private static readonly Option<bool> PrefetchWorker = new("--prefetch-worker") { Hidden = true };

    private static readonly Option<long> SegmentSize = new("--segment-size") { Hidden = true };

    public static Command Create(CommandRunner runner, Func<Stream> openStandardOutput)
    {
        var command = new Command("get-wal", "Retrieve a WAL file from the xlog archive of a given server")
        {
            Server, Wal, OutputDirectory, Partial, Gzip, Bzip2, KeepCompression, Peek, Test, Prefetch, SpoolDirectory, PrefetchWorker, SegmentSize,
        };
        command.SetAction((result, token) => runner.RunAsync(result, (services, ct) =>
            services.GetRequiredService<GetWalService>().RunAsync(Request(result, openStandardOutput), ct), token, readOnlyVerb: true));
        return command;
    }

    private static GetWalRequest Request(ParseResult result, Func<Stream> openStandardOutput) => new(result.GetValue(Server)!, result.GetValue(Wal)!)
    {
        OutputDirectory = result.GetValue(OutputDirectory),
        Partial = result.GetValue(Partial),
        OutputCompression = LastCompression(result),
        KeepCompression = result.GetValue(KeepCompression),
        Peek = result.GetValue(Peek),
        Test = result.GetValue(Test),
        Prefetch = result.GetValue(Prefetch) ?? 0,
        SpoolDirectory = result.GetValue(SpoolDirectory),
        PrefetchWorker = result.GetValue(PrefetchWorker),
        SegmentSize = result.GetValue(SegmentSize),
        OpenStandardOutput = openStandardOutput,
        SelfCommand = SelfCommand(result),
        SshConnection = Environment.GetEnvironmentVariable("SSH_CONNECTION"),
    };

    /// <summary>Barman's -z/-j share one setting: the last one given wins.</summary>
    private static string? LastCompression(ParseResult result)
    {
        string? last = null;
        foreach (var token in result.Tokens.Where(t => t.Type == TokenType.Option))
        {
            if (Gzip.Name == token.Value || Gzip.Aliases.Contains(token.Value))
                last = "gzip";
            else if (Bzip2.Name == token.Value || Bzip2.Aliases.Contains(token.Value))
                last = "bzip2";
        }

        return last;
    }

    /// <summary>How to start this tool again for the prefetch worker: the host (and the assembly under <c>dotnet</c>), and <c>-c CONFIG</c>.</summary>
    private static List<string>? SelfCommand(ParseResult result)
    {
        if (Environment.ProcessPath is not { } executable)
            return null;
        var command = new List<string> { executable };
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
            command.Add(typeof(GetWalCommand).Assembly.Location);
        if (result.GetValue(GlobalOptions.Config) is { } config)
            command.AddRange(["-c", Path.GetFullPath(config)]);
        return command;
    }

    private static int? PositiveInteger(ArgumentResult result, string option)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            result.AddError($"argument {option}: '{text}' is not a valid input");
        else if (value <= 0)
            result.AddError($"argument {option}: '{text}' is not a valid positive integer");
        else
            return value;
        return null;
    }
}

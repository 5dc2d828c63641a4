using System.CommandLine;
using System.Reflection;
using Barman.Wal.Cli.Commands;
using Barman.Wal.Errors;

namespace Barman.Wal.Cli;

/// <summary>Assembles the command tree and invokes it; argument errors give usage text and exit 2.</summary>
internal static class BarmanWalCli
{
    public static string VersionText =>
        typeof(BarmanWalCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static RootCommand CreateRoot(TextWriter stdout, TextWriter stderr, bool ownsProcess = false)
    {
        var runner = new CommandRunner(stdout, stderr, ownsProcess);
        var root = new RootCommand("barman-wal: Barman-compatible WAL archiving, restore, retention and monitoring");
        foreach (var option in root.Options.Where(o => o is VersionOption).ToList())
            root.Options.Remove(option);
        foreach (var option in GlobalOptions.All)
            root.Options.Add(option);
        root.Subcommands.Add(ArchiveWalCommand.Create(runner));
        root.Subcommands.Add(ReceiveWalCommand.Create(runner));
        root.Subcommands.Add(CheckCommand.Create(runner));
        root.Subcommands.Add(PutWalCommand.Create(runner));
        root.Subcommands.Add(GetWalCommand.Create(runner, Console.OpenStandardOutput));
        root.Subcommands.Add(PurgeWalCommand.Create(runner));
        root.Subcommands.Add(RebuildXlogDbCommand.Create(runner));
        root.Subcommands.Add(CronCommand.Create(runner));
        root.Subcommands.Add(VerifyWalCommand.Create(runner));
        root.Subcommands.Add(StatusCommand.Create(runner));
        root.SetAction(result =>
        {
            if (result.GetValue(GlobalOptions.Version))
            {
                stdout.Write($"{VersionText}\nbarman-wal (compatible with Barman 3.18)\n");
                return ExitCodes.Success;
            }

            stderr.Write(Usage(result.RootCommandResult.Command));
            stderr.Write("barman-wal: error: the following arguments are required: command\n");
            return ExitCodes.Usage;
        });
        return root;
    }

    private static string Usage(Command root) =>
        $"usage: barman-wal [-c CONFIG] [-q] [-d] [-f {{json,console}}] [-v] {{{string.Join(',', root.Subcommands.Select(c => c.Name))}}} ...\n";

    /// <summary>
    /// Parses and runs one command line. <paramref name="ownsProcess"/> is true only from the tool's entry
    /// point: then a run started as root becomes <c>barman_user</c> for the whole process; in-process callers
    /// (tests) keep their identity.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool ownsProcess = false)
    {
        var root = CreateRoot(stdout, stderr, ownsProcess);
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && !result.GetValue(GlobalOptions.Version))
        {
            stderr.Write(Usage(root));
            foreach (var error in result.Errors)
                stderr.Write($"barman-wal: error: {error.Message}\n");
            return ExitCodes.Usage;
        }

        try
        {
            GlobalOptions.Read(result);
        }
        catch (InvalidOperationException e)
        {
            stderr.Write(Usage(root));
            stderr.Write($"barman-wal: error: {e.Message}\n");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return await result.InvokeAsync(configuration).ConfigureAwait(false);
    }
}

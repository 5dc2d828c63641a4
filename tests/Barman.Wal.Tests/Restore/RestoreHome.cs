using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Restore;

/// <summary>
/// A <see cref="BarmanHome"/> prepared for restores run by the postgres OS user: readable (the temp root
/// opened for traversal) but not writable by it, and the command line that runs the built get-wal.
/// </summary>
public static class RestoreHome
{
    /// <summary>Lets other users traverse and read <paramref name="home"/> (files are 0644, directories 0755).</summary>
    public static void OpenForReading(BarmanHome home)
    {
        var mode = File.GetUnixFileMode(home.Root);
        File.SetUnixFileMode(home.Root, mode | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
    }

    /// <summary>The restore_command that runs the built barman-wal get-wal (with extra environment and options).</summary>
    public static string RestoreCommand(BarmanHome home, string options = "", IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = environment is null
            ? string.Empty
            : "env " + string.Concat(environment.Where(e => e.Value is not null).Select(e => $"{e.Key}={Quote(e.Value!)} "));
        return $"{env}{Quote(ToolRunner.DotnetHost)} {Quote(ToolRunner.ToolAssembly)} -c {Quote(home.ConfigPath)} get-wal {options} pg1 %f > %p";
    }

    /// <summary>True when the postgres OS user can write <paramref name="directory"/>.</summary>
    public static async Task<bool> PostgresCanWriteAsync(string directory) =>
        (await PostgresUser.RunAsync("/usr/bin/test", ["-w", directory])).ExitCode == 0;

    /// <summary>Single-quotes a word for /bin/sh.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

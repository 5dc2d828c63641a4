using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Streaming;

/// <summary>Signals for the receive-wal tests, sent with the real kill(1).</summary>
internal static class Libc
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static void Kill(int pid, int signal)
    {
        var r = ProcessRunner.RunAsync(Prerequisites.Program("kill", "procps"), [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {r}");
    }

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>PIDs of processes whose command line contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> FindProcesses(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal) && IsAlive(pid))
                    found.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}

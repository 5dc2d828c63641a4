using System.Globalization;

namespace Barman.Wal.Streaming;

/// <summary>
/// A process told apart from any later one that reuses its PID: the PID and the start time the kernel
/// reports in <c>/proc/&lt;pid&gt;/stat</c> (clock ticks after boot).
/// </summary>
public readonly record struct ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>This process.</summary>
    public static ProcessIdentity? Current => Of(Environment.ProcessId);

    /// <summary>The identity of <paramref name="pid"/>; null when it does not exist or /proc cannot tell.</summary>
    public static ProcessIdentity? Of(int pid) =>
        ProcessStat.Read(pid) is { } stat ? new ProcessIdentity(pid, stat.StartTicks) : null;

    /// <summary>"&lt;pid&gt; &lt;start ticks&gt;".</summary>
    public override string ToString() =>
        $"{Pid.ToString(CultureInfo.InvariantCulture)} {StartTicks.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <see cref="ToString"/>'s form; null when it is not that.</summary>
    public static ProcessIdentity? Parse(string text)
    {
        var parts = text.Trim().Split(' ');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new ProcessIdentity(pid, ticks)
            : null;
    }
}

/// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> receive-wal needs: the state and the start time.</summary>
internal readonly record struct ProcessStat(char State, long StartTicks)
{
    /// <summary>Reads <c>/proc/&lt;pid&gt;/stat</c>; null when the process is gone.</summary>
    /// <exception cref="UnauthorizedAccessException">/proc hides the process from us.</exception>
    public static ProcessStat? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so fields are counted after the
        // last ')'; field 3 is the state, field 22 the start time.
        var close = stat.LastIndexOf(')');
        if (close < 0)
            return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return null;
        return new ProcessStat(fields[0][0], start);
    }
}

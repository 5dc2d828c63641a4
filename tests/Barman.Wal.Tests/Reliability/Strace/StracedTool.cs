using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability.Strace;

/// <summary>
/// Runs the built barman-wal under <c>strace -f -y</c>, tracing the file calls the durability order is
/// made of, and parses the trace.
/// </summary>
public static class StracedTool
{
    /// <summary>
    /// The traced calls. <c>?</c> marks those an architecture may lack (aarch64 has only the *at forms).
    /// chmod and utimensat are left out: they change metadata, not the bytes or the names.
    /// </summary>
    private const string Syscalls =
        "trace=openat,?open,?rename,renameat,renameat2,?link,linkat,fsync,fdatasync,write,pwrite64,writev,pwritev,?unlink,unlinkat,close";

    /// <summary>Runs <c>barman-wal -c &lt;config&gt; &lt;arguments&gt;</c> traced; returns its result and the calls in trace order.</summary>
    public static async Task<(ProcessResult Run, IReadOnlyList<StraceCall> Calls)> RunAsync(
        BarmanHome home, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var strace = Prerequisites.Program("strace", "strace");
        var trace = Path.Combine(home.Root, $"strace-{Guid.NewGuid():N}.log");
        // -qq: no attach/exit notices; -y: fds decoded to paths; -s 128: a whole catalog line per write
        // (paths are never cut); --seccomp-bpf: only the traced calls stop.
        // The tool runs as the home's barman_user, as every end-to-end test runs it (setpriv under strace -f).
        home.GiveToUser();
        var (program, toolArguments, toolEnvironment) = ToolRunner.Command(["-c", home.ConfigPath, .. arguments], home.User, environment);
        var run = await ProcessRunner.RunAsync(
            strace,
            ["-f", "-qq", "-y", "-s", "128", "--seccomp-bpf", "-e", Syscalls, "-e", "signal=none", "-o", trace,
                program, .. toolArguments],
            toolEnvironment,
            timeout: TimeSpan.FromSeconds(120));
        if (!File.Exists(trace))
            throw new InvalidOperationException($"strace wrote no trace: {run}");
        return (run, StraceLog.Load(trace));
    }
}

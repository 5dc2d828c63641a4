using System.Collections.Concurrent;
using System.Diagnostics;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Streaming;

/// <summary>A long-running <c>barman-wal receive-wal</c> started by a test, its output collected line by line.</summary>
public sealed class ReceiveWalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly Task _pumps;

    private ReceiveWalProcess(Process process)
    {
        _process = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, _stdout), PumpAsync(process.StandardError, _stderr));
    }

    /// <summary>The barman-wal process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The stdout lines so far.</summary>
    public IReadOnlyList<string> StdoutLines => [.. _stdout];

    /// <summary>The stderr lines so far.</summary>
    public IReadOnlyList<string> StderrLines => [.. _stderr];

    /// <summary>Starts <c>barman-wal -c &lt;config&gt; receive-wal &lt;arguments&gt;</c> as the home's user (see <see cref="ToolRunner"/>).</summary>
    public static ReceiveWalProcess Start(BarmanHome home, params string[] arguments) => Start(home, asTestProcessUser: false, arguments);

    /// <summary>As <see cref="Start(BarmanHome, string[])"/>; <paramref name="asTestProcessUser"/> starts it as the test process's user (root).</summary>
    public static ReceiveWalProcess Start(BarmanHome home, bool asTestProcessUser, params string[] arguments)
    {
        if (!asTestProcessUser)
            home.GiveToUser();
        var (program, commandLine, environment) =
            ToolRunner.Command(["-c", home.ConfigPath, "receive-wal", .. arguments], asTestProcessUser ? null : home.User);
        var psi = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in commandLine)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v is null)
                psi.Environment.Remove(k);
            else
                psi.Environment[k] = v;
        }
        var process = Process.Start(psi)!;
        process.StandardInput.Close();
        return new ReceiveWalProcess(process);
    }

    /// <summary>Waits until a stdout line satisfies <paramref name="predicate"/>; fails with the output so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var line = _stdout.FirstOrDefault(predicate);
            if (line is not null)
                return line;
            if (_process.HasExited)
                break;
            await Task.Delay(50);
        }

        throw new TimeoutException($"expected line not seen; exited={_process.HasExited}\n{Describe()}");
    }

    /// <summary>Sends a signal to barman-wal.</summary>
    public void Signal(int signal) => Libc.Kill(_process.Id, signal);

    /// <summary>Waits for exit (default 40 s) and returns the exit code; fails with the output on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(40));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"receive-wal did not exit\n{Describe()}");
        }

        await _pumps;
        return _process.ExitCode;
    }

    /// <summary>The output so far, for failure messages.</summary>
    public string Describe() => $"--- stdout ---\n{string.Join('\n', _stdout)}\n--- stderr ---\n{string.Join('\n', _stderr)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task PumpAsync(StreamReader reader, ConcurrentQueue<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
            lines.Enqueue(line);
    }
}

using System.Diagnostics;

namespace Barman.Wal.Verification;

/// <summary>
/// <c>server: read N/M files</c> on an interactive terminal's stderr, rewritten in place at most four times
/// a second and erased at the end; silent when <paramref name="terminal"/> is null (cron, pipes, <c>-q</c>, JSON).
/// </summary>
public sealed class VerifyProgress(TextWriter? terminal)
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = new();
    private string _server = "";
    private int _total;
    private int _done;
    private long _lastDraw = long.MinValue;

    /// <summary>Starts counting the files of <paramref name="server"/>.</summary>
    public void Begin(string server, int total)
    {
        lock (_gate)
        {
            _server = server;
            _total = total;
            _done = 0;
            _clock.Restart();
            _lastDraw = long.MinValue;
        }
    }

    /// <summary>One more file read.</summary>
    public void Advance()
    {
        if (terminal is null)
            return;
        lock (_gate)
        {
            _done++;
            var now = _clock.ElapsedMilliseconds;
            if (now - _lastDraw < 250 && _done < _total)
                return;
            _lastDraw = now;
            terminal.Write($"\r{_server}: read {_done}/{_total} files");
            terminal.Flush();
        }
    }

    /// <summary>Erases the progress line.</summary>
    public void End()
    {
        if (terminal is null)
            return;
        lock (_gate)
        {
            terminal.Write("\r\u001b[K");
            terminal.Flush();
        }
    }
}

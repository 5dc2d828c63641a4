using System.Diagnostics;
using System.Globalization;

namespace Barman.Wal.Output;

/// <summary>
/// A one-line progress counter on stderr (<c>label: done/total, rate/s, ETA</c>), redrawn at most four times a
/// second, only when stderr is an interactive terminal and neither <c>-q</c> nor <c>-f json</c> is in effect:
/// silent under cron and pipes.
/// </summary>
public sealed class ConsoleProgress : IDisposable
{
    private readonly TextWriter? _writer;
    private readonly string _label;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _done;
    private long _lastDraw = -1;

    private ConsoleProgress(TextWriter? writer, string label, long total)
    {
        _writer = writer;
        _label = label;
        _total = total;
    }

    /// <summary>A counter for <paramref name="total"/> items, drawing only where it should (see the type).</summary>
    public static ConsoleProgress Start(BarmanOutput output, string label, long total)
    {
        ArgumentNullException.ThrowIfNull(output);
        var interactive = !Console.IsErrorRedirected && !output.IsQuiet && output.Format == OutputFormat.Console;
        return new ConsoleProgress(interactive ? output.Stderr : null, label, total);
    }

    /// <summary>Adds <paramref name="count"/> done items.</summary>
    public void Advance(long count)
    {
        _done += count;
        if (_writer is null)
            return;
        var now = _clock.ElapsedMilliseconds;
        if (_lastDraw >= 0 && now - _lastDraw < 250 && _done < _total)
            return;
        _lastDraw = now;
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = _done / seconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds((_total - _done) / rate) : TimeSpan.Zero;
        _writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r{_label}: {_done}/{_total}, {rate:0}/s, ETA {eta:hh\\:mm\\:ss}   "));
        _writer.Flush();
    }

    /// <summary>Ends the line when something was drawn.</summary>
    public void Dispose()
    {
        if (_writer is not null && _lastDraw >= 0)
        {
            _writer.Write('\n');
            _writer.Flush();
        }
    }
}

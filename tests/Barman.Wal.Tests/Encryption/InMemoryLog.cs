using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Barman.Wal.Tests.Encryption;

/// <summary>A Serilog logger that keeps every event as "<Level> <logger> <message>" (strings unquoted, as in the log file).</summary>
public sealed class InMemoryLog : ILogEventSink
{
    private static readonly MessageTemplateTextFormatter Formatter = new("{Level} {SourceContext:l} {Message:l}");
    private readonly List<string> _lines = [];

    public InMemoryLog()
    {
        Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();
    }

    public ILogger Logger { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return _lines.ToList();
        }
    }

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Formatter.Format(logEvent, text);
        lock (_lines)
            _lines.Add(text.ToString());
    }
}

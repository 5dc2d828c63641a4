using System.Globalization;
using System.Text.RegularExpressions;
using Barman.Wal.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Barman.Wal.Hosting;

/// <summary>
/// Serilog set up as Barman's logging: to <c>log_file</c> (stderr when unset or unopenable), at
/// <c>log_level</c>, in the <c>log_format</c> layout with Python's level names and asctime.
/// </summary>
public static partial class BarmanLogging
{
    /// <summary>Creates the logger; <paramref name="warn"/> receives Barman's warning when the file cannot be opened.</summary>
    public static Logger Create(GlobalOptions global, string? levelOverride, TextWriter stderr, Action<string> warn)
    {
        var level = ToSerilogLevel(levelOverride is null ? global.LogLevelNumber : PythonLevelNumber(levelOverride));
        var template = ToSerilogTemplate(global.LogFormat);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.With(new PythonLevelEnricher())
            .Enrich.WithProperty("process", Environment.ProcessId)
            .Enrich.WithProperty("SourceContext", "barman");
        var path = global.LogFile;
        if (path is not null && CanAppend(path))
            configuration = configuration.WriteTo.File(path, outputTemplate: template, formatProvider: CultureInfo.InvariantCulture, shared: true);
        else
        {
            if (path is not null)
                warn("Failed opening the requested log file. Using standard error instead.");
            configuration = configuration.WriteTo.Sink(new TextWriterSink(stderr, new MessageTemplateTextFormatter(template, CultureInfo.InvariantCulture)));
        }

        return configuration.CreateLogger();
    }

    /// <summary>Translates a Python logging format (<c>%(asctime)s</c> ...) into a Serilog output template.</summary>
    public static string ToSerilogTemplate(string pythonFormat)
    {
        var escaped = pythonFormat.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        var template = PythonField().Replace(escaped, match => match.Groups[1].Value switch
        {
            "asctime" => "{Timestamp:yyyy-MM-dd HH:mm:ss,fff}",
            "process" => "{process}",
            "name" => "{SourceContext}",
            "levelname" => "{levelname}",
            "message" => "{Message:l}",
            "levelno" => "{levelno}",
            "thread" or "threadName" => "MainThread",
            _ => match.Value,
        });
        return template.Replace("%%", "%", StringComparison.Ordinal) + "{NewLine}{Exception}";
    }

    /// <summary>Python level names and numbers (DEBUG 10 ... CRITICAL 50); unknown → INFO.</summary>
    public static int PythonLevelNumber(string name) => name.Trim().ToUpperInvariant() switch
    {
        "DEBUG" => 10,
        "INFO" => 20,
        "WARNING" or "WARN" => 30,
        "ERROR" => 40,
        "CRITICAL" or "FATAL" => 50,
        "NOTSET" => 0,
        var other when int.TryParse(other, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => 20,
    };

    private static LogEventLevel ToSerilogLevel(int pythonLevel) => pythonLevel switch
    {
        <= 10 => LogEventLevel.Debug,
        <= 20 => LogEventLevel.Information,
        <= 30 => LogEventLevel.Warning,
        <= 40 => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    private static bool CanAppend(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
                Directory.CreateDirectory(directory);
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdrf]")]
    private static partial Regex PythonField();

    private sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
    {
        private readonly Lock _gate = new();

        public void Emit(LogEvent logEvent)
        {
            lock (_gate)
            {
                formatter.Format(logEvent, writer);
                writer.Flush();
            }
        }
    }

    private sealed class PythonLevelEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            var (name, number) = logEvent.Level switch
            {
                LogEventLevel.Verbose or LogEventLevel.Debug => ("DEBUG", 10),
                LogEventLevel.Information => ("INFO", 20),
                LogEventLevel.Warning => ("WARNING", 30),
                LogEventLevel.Error => ("ERROR", 40),
                _ => ("CRITICAL", 50),
            };
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("levelname", name));
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("levelno", number));
        }
    }
}

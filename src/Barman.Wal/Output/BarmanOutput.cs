namespace Barman.Wal.Output;

/// <summary>
/// Barman's user-facing output: normal lines on stdout, <c>WARNING:</c>/<c>ERROR:</c>/<c>EXCEPTION:</c>
/// lines on stderr, <c>-q</c> and <c>-d</c>, and the <c>-f json</c> mode that prints one object at exit.
/// </summary>
public sealed class BarmanOutput(TextWriter stdout, TextWriter stderr, OutputFormat format, bool quiet, bool debug, bool color = false)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, List<string>> _json = new(StringComparer.Ordinal);
    private bool _stdoutReleased;
    private readonly SortedDictionary<string, object?> _members = new(StringComparer.Ordinal);

    /// <summary>True when an error or exception was reported (Barman's "error occurred" flag).</summary>
    public bool ErrorOccurred { get; private set; }

    /// <summary>True when <c>-d</c> was given.</summary>
    public bool IsDebug => debug;

    /// <summary>The <c>-f</c> format.</summary>
    public OutputFormat Format => format;

    /// <summary>True when colours are on (<c>--color</c>).</summary>
    public bool UsesColor => color;

    /// <summary>The standard output writer (for <c>check --nagios</c>, which ignores <c>-q</c> and <c>-f</c>).</summary>
    public TextWriter Stdout => stdout;

    /// <summary>The standard error writer (progress lines).</summary>
    public TextWriter Stderr => stderr;

    /// <summary>True when <c>-q</c> was given.</summary>
    public bool IsQuiet => quiet;

    /// <summary>A normal line on stdout.</summary>
    public void Info(string line) => Emit("_INFO", line, stdout, prefix: null, colorCode: null, suppressedByQuiet: true);

    /// <summary>A <c>WARNING: </c> line on stderr.</summary>
    public void Warning(string line) => Emit("_WARNING", line, stderr, "WARNING: ", "\u001b[33m", suppressedByQuiet: false);

    /// <summary>An <c>ERROR: </c> line on stderr; marks the run failed.</summary>
    public void Error(string line)
    {
        ErrorOccurred = true;
        Emit("_ERROR", line, stderr, "ERROR: ", "\u001b[31m", suppressedByQuiet: false);
    }

    /// <summary>An <c>EXCEPTION: </c> line followed by <c>See log file for more details.</c>.</summary>
    public void Exception(string message)
    {
        ErrorOccurred = true;
        Emit("_EXCEPTION", message + "\nSee log file for more details.", stderr, "EXCEPTION: ", "\u001b[31m", suppressedByQuiet: false);
    }

    /// <summary>A <c>DEBUG: </c> line on stderr, only with <c>-d</c>.</summary>
    public void Debug(string line)
    {
        if (debug)
            Emit("_DEBUG", line, stderr, "DEBUG: ", null, suppressedByQuiet: false);
    }

    /// <summary>
    /// In JSON mode, sets a top-level member of the object written at exit (e.g. a server's check
    /// results); a later call with the same key replaces the value.
    /// </summary>
    public void SetJsonMember(string key, object? value)
    {
        lock (_gate)
            _members[key] = value;
    }

    /// <summary>
    /// A writer with its own stdout format (Nagios) takes stdout over: no JSON object is written at exit.
    /// </summary>
    public void ReleaseStdout()
    {
        lock (_gate)
            _stdoutReleased = true;
    }

    /// <summary>In JSON mode, writes the collected object (keys sorted, no trailing newline).</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (format != OutputFormat.Json || quiet || _stdoutReleased)
                return;
            var payload = _members.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            foreach (var (key, lines) in _json)
                payload[key] = lines;
            stdout.Write(PythonJson.Serialize(payload));
            stdout.Flush();
        }
    }

    private void Emit(string key, string line, TextWriter writer, string? prefix, string? colorCode, bool suppressedByQuiet)
    {
        lock (_gate)
        {
            if (format == OutputFormat.Json)
            {
                if (!_json.TryGetValue(key, out var list))
                    _json[key] = list = [];
                list.Add(line);
                return;
            }

            if (quiet && suppressedByQuiet)
                return;
            var text = prefix + line;
            if (color && colorCode is not null)
                text = colorCode + text + "\u001b[0m";
            writer.Write(text + "\n");
            writer.Flush();
        }
    }
}

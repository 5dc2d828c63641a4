namespace Barman.Wal.Checks;

/// <summary>
/// Collects one server's results as Barman's check strategy does: remembers which check is running
/// (for the timeout log line) and, once closed by the time limit, drops anything an abandoned check
/// still reports.
/// </summary>
public sealed class CheckStrategy(string server, CheckWriter writer)
{
    private readonly Lock _gate = new();
    private bool _closed;

    /// <summary>The server being checked.</summary>
    public string Server { get; } = server;

    /// <summary>The check in progress (its printed name).</summary>
    public string? Running { get; private set; }

    /// <summary>Marks <paramref name="name"/> as the running check.</summary>
    public void Begin(string name) => Running = name;

    /// <summary>Reports one result.</summary>
    public void Result(string name, bool ok, string hint = "", string? perfData = null)
    {
        lock (_gate)
        {
            if (!_closed)
                writer.Add(new CheckResult(Server, name, ok, hint, perfData));
        }
    }

    /// <summary>Reports a result that passed with a caveat (<c>WARNING</c>; the exit status is not affected).</summary>
    public void Warning(string name, string hint)
    {
        lock (_gate)
        {
            if (!_closed)
                writer.Add(new CheckResult(Server, name, true, hint, Warning: true));
        }
    }

    /// <summary>Reports a detail line under the previous result.</summary>
    public void Detail(string line)
    {
        lock (_gate)
        {
            if (!_closed)
                writer.Detail(line);
        }
    }

    /// <summary>Stops accepting results (the time limit fired); later reports are ignored.</summary>
    public void Close(string? finalName = null, string finalHint = "")
    {
        lock (_gate)
        {
            if (_closed)
                return;
            if (finalName is not null)
                writer.Add(new CheckResult(Server, finalName, false, finalHint));
            _closed = true;
        }
    }
}

namespace Barman.Wal.Checks;

/// <summary>
/// Where check results go: console lines, the Nagios summary or the JSON object (spec: check §5).
/// Also decides the exit status (spec: check §7).
/// </summary>
public abstract class CheckWriter
{
    private readonly List<CheckResult> _results = [];
    private readonly List<(string Name, CheckServerState State)> _servers = [];

    /// <summary>Every result so far, in order.</summary>
    protected IReadOnlyList<CheckResult> Results => _results;

    /// <summary>Every server started so far, in order.</summary>
    protected IReadOnlyList<(string Name, CheckServerState State)> Servers => _servers;

    /// <summary>Starts a server's block.</summary>
    public void BeginServer(string server, CheckServerState state)
    {
        _servers.Add((server, state));
        WriteHeader(server, state);
    }

    /// <summary>Records and shows one result.</summary>
    public void Add(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _results.Add(result);
        WriteResult(result);
    }

    /// <summary>A line below a result (the <c>configuration</c> problems, two leading tabs).</summary>
    public abstract void Detail(string line);

    /// <summary>True when an active or disabled server has a FAILED result.</summary>
    public bool HasCriticalFailures =>
        _results.Any(r => !r.Ok && _servers.FirstOrDefault(s => s.Name == r.Server).State != CheckServerState.Inactive);

    /// <summary>Finishes the output; returns the exit code given whether an error/exception was printed.</summary>
    public abstract int Close(bool errorOccurred);

    /// <summary>Shows a server header.</summary>
    protected abstract void WriteHeader(string server, CheckServerState state);

    /// <summary>Shows one result.</summary>
    protected abstract void WriteResult(CheckResult result);
}

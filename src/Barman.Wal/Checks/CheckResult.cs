namespace Barman.Wal.Checks;

/// <summary>One line of <c>check</c>: a named result for one server (spec: check §3).</summary>
/// <param name="Server">The server name.</param>
/// <param name="Name">The check name as printed, e.g. <c>wal_level</c>.</param>
/// <param name="Ok">Passed or FAILED.</param>
/// <param name="Hint">Text shown in parentheses; empty for none.</param>
/// <param name="PerfData">Nagios performance item (e.g. <c>pg1_wals=0B</c>), or null.</param>
/// <param name="Warning">
/// A barman-wal row that passed with a caveat: shown as <c>WARNING</c> instead of <c>OK</c>; like OK it does not
/// change the exit status. Only with <paramref name="Ok"/> true.
/// </param>
public sealed record CheckResult(string Server, string Name, bool Ok, string Hint = "", string? PerfData = null, bool Warning = false)
{
    /// <summary>The status word: <c>OK</c>, <c>WARNING</c> or <c>FAILED</c>.</summary>
    public string Status => !Ok ? "FAILED" : Warning ? "WARNING" : "OK";
}

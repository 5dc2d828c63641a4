namespace Barman.Wal.Checks;

/// <summary>One line of <c>check</c>: a named result for one server (spec: check §3).</summary>
/// <param name="Server">The server name.</param>
/// <param name="Name">The check name as printed, e.g. <c>wal_level</c>.</param>
/// <param name="Ok">Passed or FAILED.</param>
/// <param name="Hint">Text shown in parentheses; empty for none.</param>
/// <param name="PerfData">Nagios performance item (e.g. <c>pg1_wals=0B</c>), or null.</param>
public sealed record CheckResult(string Server, string Name, bool Ok, string Hint = "", string? PerfData = null);

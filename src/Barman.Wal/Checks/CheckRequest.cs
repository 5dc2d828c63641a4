namespace Barman.Wal.Checks;

/// <summary>What the <c>check</c> command line asked for.</summary>
/// <param name="Servers">Server names, or <c>all</c>.</param>
/// <param name="Nagios"><c>--nagios</c>: Nagios plugin output instead of the <c>-f</c> format.</param>
/// <param name="CheckTimeout"><c>--check-timeout</c> in seconds (0 = no limit), overriding every server's <c>check_timeout</c>.</param>
public sealed record CheckRequest(IReadOnlyList<string> Servers, bool Nagios = false, long? CheckTimeout = null);

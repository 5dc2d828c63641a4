namespace Barman.Wal.Streaming;

/// <summary>
/// Watches pg_receivewal's lines for the failures Barman leaves unexplained (WAL already removed on the
/// server, a timeline fork) and words the way out: <c>--reset</c> or a new backup.
/// </summary>
internal sealed class ReceiveWalFailureHints
{
    private volatile string? _kind;

    /// <summary>Remembers the first line that names a known cause.</summary>
    public void Observe(string line)
    {
        if (_kind is not null)
            return;
        if (line.Contains("has already been removed", StringComparison.Ordinal))
            _kind = "removed";
        else if (line.Contains("timeline", StringComparison.OrdinalIgnoreCase) &&
                 (line.Contains("not present", StringComparison.Ordinal) ||
                  line.Contains("history", StringComparison.Ordinal) ||
                  line.Contains("unexpected", StringComparison.Ordinal)))
            _kind = "timeline";
    }

    /// <summary>The explanation for the observed cause, or null.</summary>
    public string? Hint(string serverName) => _kind switch
    {
        "removed" => $"the WAL pg_receivewal must resume from was already removed from the server; " +
                     $"run 'barman-wal receive-wal --reset {serverName}' to resume from the server's current position " +
                     "(the WAL in between is lost: take a new backup)",
        "timeline" => $"the server's timeline forked away from the WAL in the streaming directory; " +
                      $"run 'barman-wal receive-wal --reset {serverName}' (and take a new backup) to follow the new timeline",
        _ => null,
    };
}

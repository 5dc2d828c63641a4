namespace Barman.Wal.Postgres;

/// <summary>What pg_switch_wal() did.</summary>
/// <param name="Before">The WAL file being written before the switch.</param>
/// <param name="After">The WAL file being written after it.</param>
public sealed record WalSwitchResult(string Before, string After)
{
    /// <summary>False when the server had nothing to switch (no WAL written since the segment began).</summary>
    public bool Switched => !string.Equals(Before, After, StringComparison.Ordinal);
}

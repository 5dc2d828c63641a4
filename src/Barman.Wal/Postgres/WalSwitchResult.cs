namespace Barman.Wal.Postgres;

/// <summary>What pg_switch_wal() did.</summary>
/// <param name="ClosedWal">
/// The segment the switch closed; when there was nothing to switch, the last segment closed before.
/// </param>
/// <param name="Switched">False when the server had nothing to switch (no WAL written since the segment began).</param>
public sealed record WalSwitchResult(string ClosedWal, bool Switched);

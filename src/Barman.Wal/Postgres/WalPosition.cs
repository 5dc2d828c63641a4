namespace Barman.Wal.Postgres;

/// <summary>The server's current WAL location.</summary>
/// <param name="Lsn">pg_current_wal_lsn() (on a standby: pg_last_wal_replay_lsn(), 0 if unknown).</param>
/// <param name="FileName">pg_walfile_name_offset(lsn).file_name (at a segment boundary the previous segment); null on a standby.</param>
/// <param name="IsInRecovery">True on a standby.</param>
public sealed record WalPosition(ulong Lsn, string? FileName, bool IsInRecovery);

namespace Barman.Wal.Postgres;

/// <summary>A physical replication slot from pg_replication_slots.</summary>
/// <param name="Name">slot_name.</param>
/// <param name="Active">Whether a client is streaming from it now.</param>
/// <param name="RestartLsn">Null until a client first streamed from the slot ("not initialised").</param>
public sealed record ReplicationSlotInfo(string Name, bool Active, ulong? RestartLsn);

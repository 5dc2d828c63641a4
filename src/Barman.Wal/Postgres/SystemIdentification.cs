namespace Barman.Wal.Postgres;

/// <summary>The answer to IDENTIFY_SYSTEM on a replication connection.</summary>
public sealed record SystemIdentification(ulong SystemId, uint Timeline, ulong XLogPos, string? DbName);

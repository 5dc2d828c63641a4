namespace Barman.Wal.Tests.Infrastructure;

/// <summary>A role that must authenticate with a password (scram-sha-256) over TCP.</summary>
public sealed record PostgresPasswordUser(string Name, string Password, bool Superuser = false, bool Replication = true);

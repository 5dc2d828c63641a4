namespace Barman.Wal.Configuration;

/// <summary>The connections receive-wal uses after applying <c>wal_conninfo</c>/<c>wal_streaming_conninfo</c>.</summary>
/// <param name="Conninfo">the normal connection string to use</param>
/// <param name="StreamingConninfo">the replication connection string to use</param>
/// <param name="Message">Barman's stdout line when something was overridden, else null</param>
public sealed record WalConnectionOverrides(string? Conninfo, string? StreamingConninfo, string? Message);

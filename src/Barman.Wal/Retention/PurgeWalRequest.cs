namespace Barman.Wal.Retention;

/// <summary>The <c>purge-wal</c> command line: servers (or <c>all</c>), an explicit policy, <c>--dry-run</c>.</summary>
public sealed record PurgeWalRequest(IReadOnlyList<string> Servers, PurgePolicy Policy, bool DryRun);

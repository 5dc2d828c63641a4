namespace Barman.Wal.Archiving;

/// <summary>The servers named on the command line (or <c>all</c>).</summary>
public sealed record ArchiveWalRequest(IReadOnlyList<string> Servers);

namespace Barman.Wal.Status;

/// <summary>A <c>status</c> invocation: server names (or <c>all</c>) and whether to print Prometheus gauges.</summary>
public sealed record StatusRequest(IReadOnlyList<string> Servers, bool Prometheus);

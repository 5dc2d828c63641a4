namespace Barman.Wal.Status;

/// <summary>The first and last plain segment the catalog holds for one timeline (ordered by name).</summary>
/// <param name="Timeline">The timeline.</param>
/// <param name="First">The smallest segment name.</param>
/// <param name="Last">The largest segment name.</param>
/// <param name="Segments">How many segments of that timeline the catalog lists.</param>
public sealed record TimelineRange(uint Timeline, string First, string Last, int Segments);

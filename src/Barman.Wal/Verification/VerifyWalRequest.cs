namespace Barman.Wal.Verification;

/// <summary>The arguments of <c>verify-wal</c>.</summary>
/// <param name="Servers">Server names, or <c>all</c>.</param>
/// <param name="Fast">Skip reading the stored content (names, catalog and sizes only).</param>
/// <param name="Since">Only segments at or after this WAL's position (any timeline), or null.</param>
/// <param name="Timeline">Only this timeline's segments, or null.</param>
public sealed record VerifyWalRequest(IReadOnlyList<string> Servers, bool Fast, string? Since, uint? Timeline);

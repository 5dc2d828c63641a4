namespace Barman.Wal.Streaming;

/// <summary>The outcome of the <c>--reset</c> decision (spec: receive-wal §7 steps 4–7).</summary>
/// <param name="Action">What to do.</param>
/// <param name="Last">The entry taken as the current receive-wal position (null for an empty directory).</param>
/// <param name="RemovePartial">The partial file to delete (full name), when <see cref="Action"/> is Reset.</param>
/// <param name="CreatePartial">The <c>&lt;restart_wal&gt;.partial</c> name to create, when Reset.</param>
public sealed record ReceiveWalResetPlan(ReceiveWalResetAction Action, string? Last, string? RemovePartial, string? CreatePartial);

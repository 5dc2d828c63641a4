namespace Barman.Wal.Restore;

/// <summary>A file found for a get-wal request, not opened yet.</summary>
/// <param name="Name">Its base name (a <c>.partial</c> name when the partial is served).</param>
/// <param name="Location">The local path or object URL, for messages.</param>
/// <param name="Modified">Its modification time.</param>
/// <param name="Open">Opens the stored bytes; throws <see cref="FileNotFoundException"/> when it vanished.</param>
public sealed record WalCandidate(string Name, string Location, DateTimeOffset Modified, Func<CancellationToken, Task<Stream>> Open)
{
    /// <summary>True when the file served is a <c>.partial</c> file.</summary>
    public bool IsPartial => Name.EndsWith(".partial", StringComparison.Ordinal);
}

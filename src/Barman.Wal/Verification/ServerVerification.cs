namespace Barman.Wal.Verification;

/// <summary>The outcome of verifying one server's archive.</summary>
/// <param name="Server">The server name.</param>
/// <param name="Problems">Every problem found, each once, ordered by WAL name.</param>
/// <param name="Files">How many stored WAL files were in range (segments, partials, labels, history files).</param>
/// <param name="ContentRead">How many stored files were read back (0 with <c>--fast</c>).</param>
/// <param name="Timelines">First and last segment of each timeline in range.</param>
/// <param name="SystemIdentifier">The system identifier segments were checked against, or null.</param>
/// <param name="SystemIdentifierSource">Where <paramref name="SystemIdentifier"/> came from.</param>
/// <param name="Error">Why the archive could not be verified, or null.</param>
public sealed record ServerVerification(
    string Server,
    IReadOnlyList<WalProblem> Problems,
    int Files,
    int ContentRead,
    IReadOnlyList<TimelineRange> Timelines,
    ulong? SystemIdentifier,
    string? SystemIdentifierSource,
    string? Error)
{
    /// <summary>A server whose archive could not be verified.</summary>
    public static ServerVerification Failed(string server, string error) => new(server, [], 0, 0, [], null, null, error);

    /// <summary><c>clean</c>, <c>problems</c> or <c>not-verified</c> (JSON <c>status</c>).</summary>
    public string Status => Error is not null ? "not-verified" : Problems.Count > 0 ? "problems" : "clean";
}

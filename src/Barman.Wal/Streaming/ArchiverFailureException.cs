using Barman.Wal.Errors;

namespace Barman.Wal.Streaming;

/// <summary>
/// A failure raised inside Barman's streaming archiver: printed as <c>ERROR: ArchiverFailure:&lt;text&gt;</c>
/// (no space after the colon, spec: receive-wal §3).
/// </summary>
public sealed class ArchiverFailureException(string text, Exception? innerException = null)
    : BarmanWalException("ArchiverFailure:" + text, innerException)
{
    /// <summary>The text after <c>ArchiverFailure:</c>.</summary>
    public string Text { get; } = text;
}

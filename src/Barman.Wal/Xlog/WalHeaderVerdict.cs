namespace Barman.Wal.Xlog;

/// <summary>The outcome of validating one header: the problem, a one-line reason, and the header read.</summary>
public sealed record WalHeaderVerdict(WalHeaderProblem Problem, string Reason, WalPageHeader? Header)
{
    /// <summary>The header agrees with everything checked.</summary>
    public bool IsValid => Problem == WalHeaderProblem.None;

    /// <summary>A passing verdict.</summary>
    public static WalHeaderVerdict Valid(WalPageHeader? header) => new(WalHeaderProblem.None, string.Empty, header);

    /// <summary>A verdict deferred: the file may still be being written (the reason says what is missing).</summary>
    public static WalHeaderVerdict Incomplete(string reason, WalPageHeader? header = null) => new(WalHeaderProblem.Incomplete, reason, header);

    internal static WalHeaderVerdict Corrupt(string reason, WalPageHeader? header = null) => new(WalHeaderProblem.Corrupt, reason, header);
}

namespace Barman.Wal.Streaming;

/// <summary>The three outcomes of <c>--reset</c>.</summary>
public enum ReceiveWalResetAction
{
    /// <summary><c>Nothing to do. Position of receive-wal is aligned.</c></summary>
    Aligned,

    /// <summary>The directory is ahead of the server: error, nothing changed.</summary>
    Ahead,

    /// <summary>Remove the last partial (if any) and create <c>&lt;restart_wal&gt;.partial</c>.</summary>
    Reset,
}

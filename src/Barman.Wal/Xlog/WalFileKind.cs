namespace Barman.Wal.Xlog;

/// <summary>The four kinds of file that live in a WAL archive.</summary>
public enum WalFileKind
{
    /// <summary>A complete 24-hex segment.</summary>
    Segment,

    /// <summary><c>&lt;segment&gt;.partial</c>, being written by pg_receivewal.</summary>
    Partial,

    /// <summary><c>&lt;segment&gt;.&lt;8 hex&gt;.backup</c>, a backup label.</summary>
    BackupLabel,

    /// <summary><c>&lt;8 hex&gt;.history</c>, a timeline history file.</summary>
    History,
}

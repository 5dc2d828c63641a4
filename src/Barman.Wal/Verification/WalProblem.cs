namespace Barman.Wal.Verification;

/// <summary>What verify-wal found wrong; the JSON <c>kind</c> values are stable (docs/monitoring.md).</summary>
public enum WalProblemKind
{
    /// <summary>Segments missing between the first and last archived segment of a timeline.</summary>
    Gap,

    /// <summary>A timeline above 1 has WAL but no history file.</summary>
    MissingHistory,

    /// <summary>The archived WAL disagrees with a history file's switch point.</summary>
    TimelineSwitch,

    /// <summary>A <c>.partial</c> file no timeline switch accounts for.</summary>
    UnaccountedPartial,

    /// <summary>A backup label names a segment the archive does not hold.</summary>
    BackupWalMissing,

    /// <summary>An xlog.db line whose file is not stored.</summary>
    CatalogWithoutFile,

    /// <summary>A stored file no xlog.db line describes.</summary>
    FileWithoutCatalog,

    /// <summary>Several xlog.db lines for one name.</summary>
    DuplicateLine,

    /// <summary>The xlog.db size differs from the stored size.</summary>
    SizeMismatch,

    /// <summary>The xlog.db compression or encryption differs from what is stored.</summary>
    CompressionMismatch,

    /// <summary>The stored file cannot be decoded, has the wrong size or a bad header.</summary>
    Corrupt,

    /// <summary>A well-formed segment of another PostgreSQL system.</summary>
    Foreign,
}

/// <summary>One problem, reported once: its kind, the WAL name (or first name of a range) and a sentence.</summary>
public sealed record WalProblem(WalProblemKind Kind, string Name, string Message)
{
    /// <summary>The stable kebab-case name of <see cref="Kind"/> used in lines and JSON.</summary>
    public string KindName => KindNames[(int)Kind];

    private static readonly string[] KindNames =
    [
        "gap", "missing-history", "timeline-switch", "unaccounted-partial", "backup-wal-missing",
        "catalog-without-file", "file-without-catalog", "duplicate-line", "size-mismatch",
        "compression-mismatch", "corrupt", "foreign",
    ];
}

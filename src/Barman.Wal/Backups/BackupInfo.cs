namespace Barman.Wal.Backups;

/// <summary>
/// One backup as its <c>backup.info</c> describes it (spec: backup-catalog §2): the fields a WAL tool uses,
/// typed, plus every raw field. barman-wal only reads these files.
/// </summary>
/// <param name="Id">The backup id (file or directory name), ordered ordinally.</param>
/// <param name="Status">The status text exactly as written (<see cref="BackupStatus"/>); <c>EMPTY</c> when absent.</param>
/// <param name="Path">The <c>backup.info</c> file it was read from.</param>
/// <param name="IsLegacyLocation">True when read from <c>base/&lt;id&gt;/backup.info</c> rather than <c>meta/</c>.</param>
public sealed record BackupInfo(string Id, string Status, string Path, bool IsLegacyLocation)
{
    /// <summary>Every <c>key=value</c> field read (value null for <c>None</c>); duplicate keys: the last one.</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary><c>begin_wal</c>: the first WAL segment the backup needs.</summary>
    public string? BeginWal { get; init; }

    /// <summary><c>end_wal</c>: the last WAL segment the backup needs.</summary>
    public string? EndWal { get; init; }

    /// <summary><c>timeline</c>.</summary>
    public int? Timeline { get; init; }

    /// <summary><c>begin_time</c> (a naive value is taken in the local time zone).</summary>
    public DateTimeOffset? BeginTime { get; init; }

    /// <summary><c>end_time</c>.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary><c>size</c> in bytes.</summary>
    public long? Size { get; init; }

    /// <summary><c>mode</c> (<c>postgres</c>, <c>rsync-concurrent</c>...).</summary>
    public string? Mode { get; init; }

    /// <summary><c>backup_name</c>.</summary>
    public string? BackupName { get; init; }

    /// <summary><c>server_name</c>.</summary>
    public string? ServerName { get; init; }

    /// <summary><c>parent_backup_id</c> (incremental backups).</summary>
    public string? ParentBackupId { get; init; }

    /// <summary><c>error</c>: the reason of a FAILED backup.</summary>
    public string? Error { get; init; }

    /// <summary>True for <c>DONE</c> and <c>WAITING_FOR_WALS</c>.</summary>
    public bool IsAvailable => BackupStatus.Available.Contains(Status);

    /// <summary>The timeline field, else the one encoded in <c>begin_wal</c>, else null.</summary>
    public int? EffectiveTimeline =>
        Timeline ?? (BeginWal is { Length: >= 8 } wal && int.TryParse(wal.AsSpan(0, 8), System.Globalization.NumberStyles.AllowHexSpecifier,
            System.Globalization.CultureInfo.InvariantCulture, out var tli) ? tli : null);

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>A <c>backup.info</c> that could not be read: reported and skipped (never fatal to WAL commands).</summary>
/// <param name="Id">The backup id its location gives.</param>
/// <param name="Path">The file.</param>
/// <param name="Problem">What is wrong, one line.</param>
public sealed record DamagedBackupInfo(string Id, string Path, string Problem)
{
    /// <summary><c>&lt;path&gt;: &lt;problem&gt;</c>.</summary>
    public override string ToString() => $"{Path}: {Problem}";
}

using Barman.Wal.Configuration;

namespace Barman.Wal.Backups;

/// <summary>
/// A server's Barman backup catalog, read-only (spec: backup-catalog): <c>base/&lt;id&gt;/backup.info</c> first,
/// then <c>meta/&lt;id&gt;-backup.info</c>, which replaces a legacy entry of the same id. Ids are ordered
/// ordinally. Unlike Barman, a damaged file does not stop the command: it is listed in <see cref="Damaged"/>
/// and treated as absent (commands that delete WAL refuse to run while <see cref="Damaged"/> is not empty).
/// </summary>
public sealed class BackupCatalog
{
    private const string MetaSuffix = "-backup.info";
    private const string InfoFileName = "backup.info";

    private BackupCatalog(IReadOnlyList<BackupInfo> backups, IReadOnlyList<DamagedBackupInfo> damaged)
    {
        Backups = backups;
        Damaged = damaged;
    }

    /// <summary>Every readable backup, whatever its status, ordered by id (ordinal).</summary>
    public IReadOnlyList<BackupInfo> Backups { get; }

    /// <summary>The files that could not be read, ordered by id.</summary>
    public IReadOnlyList<DamagedBackupInfo> Damaged { get; }

    /// <summary>The <c>DONE</c> and <c>WAITING_FOR_WALS</c> backups, ordered by id.</summary>
    public IReadOnlyList<BackupInfo> Available => [.. Backups.Where(b => b.IsAvailable)];

    /// <summary>The oldest available backup (smallest id), or null.</summary>
    public BackupInfo? FirstAvailable => Backups.FirstOrDefault(b => b.IsAvailable);

    /// <summary>The newest available backup (largest id), or null.</summary>
    public BackupInfo? LastAvailable => Backups.LastOrDefault(b => b.IsAvailable);

    /// <summary>The number of <c>DONE</c> backups (status's <c>No. of available backups</c>).</summary>
    public int DoneCount => Backups.Count(b => b.Status == BackupStatus.Done);

    /// <summary>Backups with a status in <paramref name="statuses"/>, ordered by id.</summary>
    public IReadOnlyList<BackupInfo> WithStatus(params string[] statuses) =>
        [.. Backups.Where(b => statuses.Contains(b.Status, StringComparer.Ordinal))];

    /// <summary>The backup with id <paramref name="id"/>, or null.</summary>
    public BackupInfo? Find(string id) => Backups.FirstOrDefault(b => b.Id == id);

    /// <summary>The nearest older backup whose status is in <paramref name="statuses"/> (default: available).</summary>
    public BackupInfo? Previous(string id, IReadOnlySet<string>? statuses = null) =>
        Backups.LastOrDefault(b => string.CompareOrdinal(b.Id, id) < 0 && (statuses ?? BackupStatus.Available).Contains(b.Status));

    /// <summary>The nearest newer backup whose status is in <paramref name="statuses"/> (default: available).</summary>
    public BackupInfo? Next(string id, IReadOnlySet<string>? statuses = null) =>
        Backups.FirstOrDefault(b => string.CompareOrdinal(b.Id, id) > 0 && (statuses ?? BackupStatus.Available).Contains(b.Status));

    /// <summary>Reads the catalog of <paramref name="server"/>.</summary>
    public static BackupCatalog Load(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Load(server.BackupDirectory, server.BasebackupsDirectory);
    }

    /// <summary>
    /// Reads <c>&lt;basebackupsDirectory&gt;/*/backup.info</c> and <c>&lt;backupDirectory&gt;/meta/*-backup.info</c>;
    /// names starting with <c>.</c> are ignored as Barman's glob does. Missing directories mean no backups.
    /// </summary>
    public static BackupCatalog Load(string backupDirectory, string basebackupsDirectory)
    {
        var entries = new SortedDictionary<string, (BackupInfo? Backup, DamagedBackupInfo? Damage)>(StringComparer.Ordinal);
        foreach (var directory in Entries(basebackupsDirectory, Directory.GetDirectories))
        {
            var path = Path.Combine(directory, InfoFileName);
            if (File.Exists(path))
                entries[Path.GetFileName(directory)] = Read(Path.GetFileName(directory), path, isLegacy: true);
        }

        foreach (var path in Entries(Path.Combine(backupDirectory, "meta"), Directory.GetFiles))
        {
            var name = Path.GetFileName(path);
            if (name.Length <= MetaSuffix.Length || !name.EndsWith(MetaSuffix, StringComparison.Ordinal))
                continue;
            var id = name[..^MetaSuffix.Length];
            entries[id] = Read(id, path, isLegacy: false);
        }

        return new BackupCatalog(
            [.. entries.Values.Where(e => e.Backup is not null).Select(e => e.Backup!)],
            [.. entries.Values.Where(e => e.Damage is not null).Select(e => e.Damage!)]);
    }

    /// <summary>
    /// True when <paramref name="backup"/> is an orphan (spec: backup-catalog §6): a non-EMPTY backup whose data
    /// directory is missing (meta layout) or holds nothing but <c>backup.info</c>.
    /// </summary>
    public static bool IsOrphan(BackupInfo backup, string basebackupsDirectory)
    {
        ArgumentNullException.ThrowIfNull(backup);
        if (backup.Status == BackupStatus.Empty)
            return false;
        var data = Path.Combine(basebackupsDirectory, backup.Id);
        if (!Directory.Exists(data))
            return !backup.IsLegacyLocation;
        return Directory.EnumerateFileSystemEntries(data).All(e => Path.GetFileName(e) == InfoFileName);
    }

    private static (BackupInfo?, DamagedBackupInfo?) Read(string id, string path, bool isLegacy)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new DamagedBackupInfo(id, path, e.Message));
        }

        return BackupInfoParser.Parse(id, path, text, isLegacy);
    }

    private static IEnumerable<string> Entries(string directory, Func<string, string[]> list)
    {
        string[] found;
        try
        {
            found = list(directory);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }

        return found.Where(p => !Path.GetFileName(p).StartsWith('.'));
    }
}

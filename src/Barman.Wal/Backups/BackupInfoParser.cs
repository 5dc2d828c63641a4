using System.Globalization;
using System.Text.RegularExpressions;

namespace Barman.Wal.Backups;

/// <summary>
/// Reads one <c>backup.info</c> with Barman's rules (spec: backup-catalog §2): <c>key=value</c> lines split at
/// the first <c>=</c>, blank and <c>#</c> lines skipped, <c>None</c> = null, typed fields converted, unknown
/// keys refused. A problem yields <see cref="DamagedBackupInfo"/>, never an exception.
/// </summary>
public static partial class BackupInfoParser
{
    /// <summary>Every field Barman 3.17 writes (the real file of spec §7, plus the two omitted when null).</summary>
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "backup_label", "backup_name", "begin_offset", "begin_time", "begin_wal", "begin_xlog", "children_backup_ids",
        "cluster_size", "compression", "config_file", "copy_stats", "data_checksums", "deduplicated_size", "encryption",
        "end_offset", "end_time", "end_wal", "end_xlog", "error", "hba_file", "ident_file", "included_files", "mode",
        "parent_backup_id", "pgdata", "server_name", "size", "snapshots_info", "status", "summarize_wal", "systemid",
        "tablespaces", "timeline", "version", "xlog_segment_size",
    };

    private static readonly HashSet<string> IntegerFields = new(StringComparer.Ordinal)
    {
        "begin_offset", "end_offset", "size", "deduplicated_size", "cluster_size", "version", "xlog_segment_size", "timeline",
    };

    private static readonly HashSet<string> TimeFields = new(StringComparer.Ordinal) { "begin_time", "end_time" };

    /// <summary>Parses <paramref name="text"/> (the content of <paramref name="path"/>) as backup <paramref name="id"/>.</summary>
    /// <returns>The backup, or the reason it cannot be used.</returns>
    public static (BackupInfo? Backup, DamagedBackupInfo? Damage) Parse(string id, string path, string text, bool isLegacyLocation)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0 || line.StartsWith('#'))
                continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
                return Damaged(id, path, $"invalid line {line.Trim()}");
            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (!KnownFields.Contains(key))
                return Damaged(id, path, $"unsupported field '{key}' (written by a newer Barman?)");
            fields[key] = value == "None" ? null : value;
        }

        foreach (var (key, value) in fields)
        {
            if (value is null)
                continue;
            if (IntegerFields.Contains(key) && !IsPythonInt(value))
                return Damaged(id, path, $"{key}: invalid literal for int() with base 10: '{value}'");
            if (TimeFields.Contains(key) && ParseTime(value) is null)
                return Damaged(id, path, $"{key}: unknown date format: '{value}'");
        }

        var backup = new BackupInfo(id, Get(fields, "status") ?? BackupStatus.Empty, path, isLegacyLocation)
        {
            Fields = fields,
            BeginWal = Get(fields, "begin_wal"),
            EndWal = Get(fields, "end_wal"),
            Timeline = Get(fields, "timeline") is { } tli ? (int)ParseInt(tli) : null,
            BeginTime = Get(fields, "begin_time") is { } begin ? ParseTime(begin) : null,
            EndTime = Get(fields, "end_time") is { } end ? ParseTime(end) : null,
            Size = Get(fields, "size") is { } size ? ParseInt(size) : null,
            Mode = Get(fields, "mode"),
            BackupName = Get(fields, "backup_name"),
            ServerName = Get(fields, "server_name"),
            ParentBackupId = Get(fields, "parent_backup_id"),
            Error = Get(fields, "error"),
        };

        // An available backup owns a WAL range: without its bounds nobody can tell which WAL it needs.
        if (backup.IsAvailable && backup.BeginWal is null)
            return Damaged(id, path, $"status {backup.Status} without begin_wal");
        if (backup.IsAvailable && backup.EndWal is null)
            return Damaged(id, path, $"status {backup.Status} without end_wal");
        return (backup, null);
    }

    private static (BackupInfo?, DamagedBackupInfo?) Damaged(string id, string path, string problem) =>
        (null, new DamagedBackupInfo(id, path, problem));

    private static string? Get(Dictionary<string, string?> fields, string key) =>
        fields.TryGetValue(key, out var value) ? value : null;

    private static bool IsPythonInt(string value) => PythonInt().IsMatch(value) && ParseIntOrNull(value) is not null;

    private static long ParseInt(string value) => ParseIntOrNull(value) ?? 0;

    private static long? ParseIntOrNull(string value) =>
        long.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    /// <summary>Barman's times (<c>2026-12-07 21:39:35.524062+00:00</c>, ISO 8601 too); naive values are local.</summary>
    internal static DateTimeOffset? ParseTime(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out var time)
            ? time
            : null;

    [GeneratedRegex(@"^[+-]?[0-9]+(_[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PythonInt();
}

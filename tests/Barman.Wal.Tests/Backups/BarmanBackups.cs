namespace Barman.Wal.Tests.Backups;

/// <summary>
/// Writes a Barman backup catalog the way Barman 3.17 does (spec: backup-catalog §2, §7): keys sorted,
/// <c>None</c> for null, LF endings, an empty <c>base/&lt;id&gt;/data/</c> beside each so none is an orphan.
/// </summary>
internal static class BarmanBackups
{
    /// <summary>
    /// A <c>backup.info</c> in the form of the real file of spec §7 (every field), at
    /// <c>meta/&lt;id&gt;-backup.info</c> or, <paramref name="legacy"/>, <c>base/&lt;id&gt;/backup.info</c>.
    /// </summary>
    public static string Write(
        string serverDirectory, string id, string status, string? beginWal, string? endWal, int? timeline = null,
        bool legacy = false, string server = "pg1")
    {
        var tli = timeline ?? (beginWal is null ? null : Convert.ToInt32(beginWal[..8], 16));
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["backup_label"] = $"'START WAL LOCATION: 0/4000028 (file {beginWal})\\nCHECKPOINT LOCATION: 0/4000060\\nBACKUP METHOD: streamed\\nBACKUP FROM: primary\\nSTART TIME: 2026-12-07 21:39:38 UTC\\nLABEL: pg_basebackup base backup\\nSTART TIMELINE: 1\\n'",
            ["begin_offset"] = "40",
            ["begin_time"] = $"{IdTime(id):yyyy-MM-dd HH:mm:ss}.524062+00:00",
            ["begin_wal"] = beginWal ?? "None",
            ["begin_xlog"] = "0/4000028",
            ["children_backup_ids"] = "None",
            ["cluster_size"] = "23199433",
            ["compression"] = "None",
            ["config_file"] = "/var/lib/pg/data/postgresql.conf",
            ["copy_stats"] = "{'copy_time': 4.616923, 'total_time': 4.616923}",
            ["data_checksums"] = "off",
            ["deduplicated_size"] = "23191065",
            ["encryption"] = "None",
            ["end_offset"] = "0",
            ["end_time"] = $"{IdTime(id).AddMinutes(5):yyyy-MM-dd HH:mm:ss}+00:00",
            ["end_wal"] = endWal ?? "None",
            ["end_xlog"] = "0/5000000",
            ["error"] = status == "FAILED" ? "failure during backup" : "None",
            ["hba_file"] = "/var/lib/pg/data/pg_hba.conf",
            ["ident_file"] = "/var/lib/pg/data/pg_ident.conf",
            ["included_files"] = "None",
            ["mode"] = "postgres",
            ["parent_backup_id"] = "None",
            ["pgdata"] = "/var/lib/pg/data",
            ["server_name"] = server,
            ["size"] = "23191065",
            ["status"] = status,
            ["summarize_wal"] = "None",
            ["systemid"] = "7716679994302649387",
            ["tablespaces"] = "None",
            ["timeline"] = tli?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None",
            ["version"] = "150018",
            ["xlog_segment_size"] = "16777216",
        };
        return WriteRaw(serverDirectory, id, string.Concat(fields.Select(f => $"{f.Key}={f.Value}\n")), legacy);
    }

    /// <summary>Writes <paramref name="content"/> as backup <paramref name="id"/>'s file (for damaged entries).</summary>
    public static string WriteRaw(string serverDirectory, string id, string content, bool legacy = false)
    {
        var data = Path.Combine(serverDirectory, "base", id, "data");
        Directory.CreateDirectory(data);
        var path = legacy
            ? Path.Combine(serverDirectory, "base", id, "backup.info")
            : Path.Combine(serverDirectory, "meta", $"{id}-backup.info");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static DateTime IdTime(string id) =>
        DateTime.TryParseExact(id, "yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var t) ? t : new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc);
}

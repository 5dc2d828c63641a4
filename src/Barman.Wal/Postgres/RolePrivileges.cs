namespace Barman.Wal.Postgres;

/// <summary>What the connected role may do, as Barman's checks need it (spec/check.md §4.3, §4.5).</summary>
public sealed record RolePrivileges(
    bool IsSuperuser,
    bool IsMonitor,
    bool ReadAllSettings,
    bool ReadAllStats,
    bool Checkpoint,
    bool BackupFunctions)
{
    /// <summary>Superuser, or pg_monitor, or both pg_read_all_settings and pg_read_all_stats.</summary>
    public bool HasMonitoringPrivileges => IsSuperuser || IsMonitor || (ReadAllSettings && ReadAllStats);

    /// <summary>Superuser, or monitoring privileges plus EXECUTE on the backup functions, pg_switch_wal and pg_create_restore_point.</summary>
    public bool HasBackupPrivileges => IsSuperuser || (HasMonitoringPrivileges && BackupFunctions);
}

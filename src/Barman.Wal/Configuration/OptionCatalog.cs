namespace Barman.Wal.Configuration;

/// <summary>Every option Barman (3.17, plus the 3.18 cloud options) knows, in Barman's order.</summary>
internal static class OptionCatalog
{
    /// <summary>Options only valid in <c>[barman]</c> (besides every server option).</summary>
    public static readonly IReadOnlyList<string> GlobalOnly =
    [
        "barman_home",
        "barman_lock_directory",
        "barman_user",
        "lock_directory_cleanup",
        "config_changes_queue",
        "log_file",
        "log_level",
        "configuration_files_directory",
    ];

    /// <summary>
    /// Server options in Barman's evaluation order (defaults may refer to earlier ones only).
    /// </summary>
    public static readonly IReadOnlyList<OptionDefinition> Server = Build();

    public static readonly IReadOnlyDictionary<string, OptionDefinition> ByName =
        Server.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>The directory options Barman compares for conflicts, in its (sorted) order.</summary>
    public static readonly IReadOnlyList<string> ConflictCheckedPaths =
    [
        "backup_directory",
        "basebackups_directory",
        "errors_directory",
        "incoming_wals_directory",
        "streaming_wals_directory",
        "wals_directory",
    ];

    public static bool IsServerOption(string key) => ByName.ContainsKey(key);

    public static bool IsGlobalOption(string key) => GlobalOnly.Contains(key) || ByName.ContainsKey(key);

    private static List<OptionDefinition> Build()
    {
        const bool G = true;
        const bool S = false;
        OptionDefinition T(string n, bool g, string? d = null) => new(n, OptionKind.Text, g, d);
        OptionDefinition B(string n, bool g, string? d = null) => new(n, OptionKind.Bool, g, d);
        OptionDefinition I(string n, bool g, string? d = null) => new(n, OptionKind.Int, g, d);
        OptionDefinition K(string n, OptionKind k, bool g, string? d = null) => new(n, k, g, d);
        OptionDefinition P(string n, bool g, string? d) => new(n, OptionKind.Text, g, d, ModelAllowed: false);
        OptionDefinition H(string n) => new(n, OptionKind.Text, G, null, ModelAllowed: false);

        return
        [
            B("active", S, "true"),
            B("archiver", G, "off"),
            I("archiver_batch_size", G, "0"),
            B("autogenerate_manifest", G, "false"),
            I("aws_await_snapshots_timeout", G, "3600"),
            T("aws_snapshot_lock_mode", G),
            I("aws_snapshot_lock_duration", G),
            I("aws_snapshot_lock_cool_off_period", G),
            T("aws_snapshot_lock_expiration_date", G),
            T("aws_profile", G),
            T("aws_region", G),
            T("azure_credential", G),
            T("azure_resource_group", G),
            T("azure_subscription_id", G),
            K("backup_compression", OptionKind.BackupCompression, G),
            K("backup_compression_format", OptionKind.BackupCompressionFormat, G),
            I("backup_compression_level", G),
            K("backup_compression_location", OptionKind.BackupCompressionLocation, G),
            I("backup_compression_workers", G),
            P("backup_directory", S, "%(barman_home)s/%(name)s"),
            K("backup_method", OptionKind.BackupMethod, G, "rsync"),
            K("backup_options", OptionKind.BackupOptions, G, ""),
            T("bandwidth_limit", G),
            I("basebackup_retry_sleep", G, "30"),
            I("basebackup_retry_times", G, "0"),
            P("basebackups_directory", S, "%(backup_directory)s/base"),
            I("check_timeout", G, "30"),
            T("cluster", S, "%(name)s"),
            K("compression", OptionKind.Compression, G),
            K("compression_level", OptionKind.CompressionLevel, G, "medium"),
            T("conninfo", S),
            T("custom_compression_filter", G),
            T("custom_decompression_filter", G),
            T("custom_compression_magic", G),
            T("description", S),
            new("disabled", OptionKind.Bool, S, "false", ModelAllowed: false),
            K("encryption", OptionKind.Encryption, G, "none"),
            T("encryption_key_id", G),
            T("encryption_passphrase_command", G),
            P("errors_directory", S, "%(backup_directory)s/errors"),
            B("forward_config_path", G, "false"),
            T("gcp_project", G),
            T("gcp_zone", S),
            B("immediate_checkpoint", G, "false"),
            P("incoming_wals_directory", S, "%(backup_directory)s/incoming"),
            // Barman lists "keepalive_internval" (sic) as inheritable: keepalive_interval is not.
            I("keepalive_interval", S, "60"),
            K("last_backup_maximum_age", OptionKind.Interval, G),
            K("last_backup_minimum_size", OptionKind.Size, G),
            K("last_wal_maximum_age", OptionKind.Interval, G),
            K("local_staging_path", OptionKind.StagingPath, G),
            I("max_incoming_wals_queue", G),
            I("minimum_redundancy", G, "0"),
            B("network_compression", G, "false"),
            I("parallel_jobs", G, "1"),
            I("parallel_jobs_start_batch_period", G, "1"),
            I("parallel_jobs_start_batch_size", G, "10"),
            T("path_prefix", G),
            H("post_archive_retry_script"),
            H("post_archive_script"),
            H("post_backup_retry_script"),
            H("post_backup_script"),
            H("post_delete_script"),
            H("post_delete_retry_script"),
            H("post_recovery_retry_script"),
            H("post_recovery_script"),
            H("post_wal_delete_script"),
            H("post_wal_delete_retry_script"),
            H("pre_archive_retry_script"),
            H("pre_archive_script"),
            H("pre_backup_retry_script"),
            H("pre_backup_script"),
            H("pre_delete_script"),
            H("pre_delete_retry_script"),
            H("pre_recovery_retry_script"),
            H("pre_recovery_script"),
            H("pre_wal_delete_script"),
            H("pre_wal_delete_retry_script"),
            I("primary_checkpoint_timeout", S, "0"),
            T("primary_conninfo", S),
            T("primary_ssh_command", G),
            K("recovery_options", OptionKind.RecoveryOptions, G, ""),
            K("recovery_staging_path", OptionKind.StagingPath, G),
            K("create_slot", OptionKind.CreateSlot, G, "manual"),
            T("retention_policy", G),
            T("retention_policy_mode", G, "auto"),
            K("reuse_backup", OptionKind.ReuseBackup, G),
            K("slot_name", OptionKind.SlotName, G),
            K("snapshot_disks", OptionKind.SnapshotDisks, S),
            T("snapshot_gcp_project", G),
            T("snapshot_instance", S),
            T("snapshot_provider", G),
            T("snapshot_zone", S),
            T("ssh_command", S),
            B("streaming_archiver", G, "off"),
            I("streaming_archiver_batch_size", G, "0"),
            T("streaming_archiver_name", G, "barman_receive_wal"),
            T("streaming_backup_name", G, "barman_streaming_backup"),
            T("streaming_conninfo", S, "%(conninfo)s"),
            P("streaming_wals_directory", S, "%(backup_directory)s/streaming"),
            T("tablespace_bandwidth_limit", G),
            T("wal_conninfo", S),
            T("wal_retention_policy", G, "main"),
            T("wal_streaming_conninfo", S),
            P("wals_directory", S, "%(backup_directory)s/wals"),
            B("worm_mode", G, "off"),
            P("xlogdb_directory", G, "%(wals_directory)s"),

            // 3.18 cloud WAL storage (documented, option table unverified) and later releases
            I("aws_read_timeout", G),
            T("aws_encryption", G),
            T("aws_sse_kms_key_id", G),
            I("cloud_delete_batch_size", G),
            I("cloud_wal_restore_parallel", G),
            I("cloud_wal_archive_parallel", G),
            T("cloud_staging_directory", G),
            K("cloud_staging_max_size", OptionKind.Size, G),
            K("cloud_upload_max_archive_size", OptionKind.Size, G, "100G"),
            K("cloud_upload_min_chunk_size", OptionKind.Size, G),
            I("parallel_jobs_start_rate", G),
            I("parallel_jobs_start_window", G),

            // barman-wal extensions (Barman itself warns "Invalid configuration option" and goes on)
            B("wal_header_validation", G, "on"),
            I("incomplete_wal_timeout", G, "60"),
            I("purge_wal_keep_days", G),
            K("purge_wal_keep_size", OptionKind.Size, G),
        ];
    }
}

using System.Globalization;

namespace Barman.Wal.Configuration;

/// <summary>
/// One server's options exactly as Barman resolves them: server section, else <c>[barman]</c>
/// (inheritable options only), else Barman's default; plus the problems that disable it.
/// </summary>
public sealed class ServerOptions
{
    private readonly List<string> _messages = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _commandWarnings = [];
    private readonly Dictionary<string, object?> _values;
    private readonly Dictionary<string, string> _raw;

    internal ServerOptions(
        string name, GlobalOptions global, Dictionary<string, object?> values, Dictionary<string, string> raw)
    {
        Name = name;
        BarmanHome = global.BarmanHome;
        BarmanLockDirectory = global.BarmanLockDirectory;
        _values = values;
        _raw = raw;
    }

    /// <summary>The server name (its section name).</summary>
    public string Name { get; }

    /// <summary><c>barman_home</c> of <c>[barman]</c> (never per server).</summary>
    public string BarmanHome { get; }

    /// <summary><c>barman_lock_directory</c> of <c>[barman]</c> (never per server).</summary>
    public string BarmanLockDirectory { get; }

    /// <summary>Every option's parsed value by Barman name (null = unset/None).</summary>
    public IReadOnlyDictionary<string, object?> Values => _values;

    /// <summary>
    /// The text each option's value came from (server section, inherited <c>[barman]</c> value or
    /// Barman's default), after interpolation and quote removal. Options with no value are absent.
    /// Holds the backup options barman-wal does not type, too.
    /// </summary>
    public IReadOnlyDictionary<string, string> Raw => _raw;

    /// <summary>True when a configuration problem disables the server (see <see cref="Messages"/>).</summary>
    public bool Disabled { get; private set; }

    /// <summary>The problems that disable the server, in Barman's order; commands print the first.</summary>
    public IReadOnlyList<string> Messages => _messages;

    /// <summary>
    /// Load-time warnings about this server's section (unknown keys, invalid values), without the
    /// <c>WARNING: </c> prefix. Barman prints those of every server whenever servers are built.
    /// </summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>
    /// Warnings Barman prints each time a command builds this server (even when inactive), e.g.
    /// <c>No archiver enabled for server '…'</c> then <c>Forcing 'archiver = on'</c>.
    /// </summary>
    public IReadOnlyList<string> CommandWarnings => _commandWarnings;

    /// <summary><c>archiver</c>: file-based archiving from incoming (true also when forced on).</summary>
    public bool Archiver => (bool)_values["archiver"]!;

    /// <summary>True when both archivers were off and Barman forced <c>archiver = on</c>.</summary>
    public bool ArchiverForced { get; private set; }

    /// <summary>Passive node (<c>primary_ssh_command</c> set): no archiver runs locally.</summary>
    public bool IsPassive => PrimarySshCommand is not null;

    /// <summary>The server's root directory (= <see cref="BackupDirectory"/>).</summary>
    public string ServerDirectory => BackupDirectory;

    /// <summary>The WAL catalog file: <c>&lt;xlogdb_directory or wals_directory&gt;/&lt;name&gt;-xlog.db</c>.</summary>
    public string XlogdbFile => Path.Combine(XlogdbDirectory ?? WalsDirectory, Name + "-xlog.db");

    /// <summary>Cloud provider of a URL <c>wals_directory</c> (<c>aws-s3</c>, ...), null for a local path.</summary>
    public string? WalsCloudProvider => CloudUrl.Provider(WalsDirectory);

    /// <summary>True when <c>wals_directory</c> is a cloud URL (3.18 cloud WAL storage).</summary>
    public bool UsesCloudWalStorage => WalsCloudProvider is not null;

    /// <summary>The configuration model applied from <c>.active-model.auto</c>, if any.</summary>
    public string? ActiveModel { get; private set; }

    /// <summary>The parsed compression level as a number when it is one.</summary>
    public int? CompressionLevelNumber =>
        int.TryParse(CompressionLevel, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary><c>description</c>: Free text description.</summary>
    public string? Description => (string?)Values["description"];

    /// <summary><c>active</c>: False = inactive: skipped by archive-wal, receive-wal and cron (default true).</summary>
    public bool Active => (bool)Values["active"]!;

    /// <summary><c>cluster</c>: Cluster name (default: the server name).</summary>
    public string Cluster => (string)Values["cluster"]!;

    /// <summary><c>streaming_archiver</c>: WAL streaming with pg_receivewal into <c>streaming_wals_directory</c> (default off).</summary>
    public bool StreamingArchiver => (bool)Values["streaming_archiver"]!;

    /// <summary><c>archiver_batch_size</c>: Max files taken from incoming per run; 0 or less = all (default 0).</summary>
    public long ArchiverBatchSize => (long)Values["archiver_batch_size"]!;

    /// <summary><c>streaming_archiver_batch_size</c>: Max files taken from streaming per run; 0 or less = all (default 0).</summary>
    public long StreamingArchiverBatchSize => (long)Values["streaming_archiver_batch_size"]!;

    /// <summary><c>streaming_archiver_name</c>: <c>application_name</c> of pg_receivewal (default <c>barman_receive_wal</c>).</summary>
    public string? StreamingArchiverName => (string?)Values["streaming_archiver_name"];

    /// <summary><c>streaming_backup_name</c>: <c>application_name</c> of pg_basebackup (default <c>barman_streaming_backup</c>).</summary>
    public string? StreamingBackupName => (string?)Values["streaming_backup_name"];

    /// <summary><c>conninfo</c>: libpq connection string (required unless passive).</summary>
    public string? Conninfo => (string?)Values["conninfo"];

    /// <summary><c>streaming_conninfo</c>: Replication connection string (default <c>conninfo</c>; <c>streaming_conninfo =</c> leaves it unset).</summary>
    public string? StreamingConninfo => (string?)Values["streaming_conninfo"];

    /// <summary><c>wal_conninfo</c>: (3.17) receive-wal/cron replacement for <c>conninfo</c>.</summary>
    public string? WalConninfo => (string?)Values["wal_conninfo"];

    /// <summary><c>wal_streaming_conninfo</c>: (3.17) receive-wal/cron replacement for <c>streaming_conninfo</c>.</summary>
    public string? WalStreamingConninfo => (string?)Values["wal_streaming_conninfo"];

    /// <summary><c>primary_conninfo</c>: Connection to the primary when <c>conninfo</c> points to a standby.</summary>
    public string? PrimaryConninfo => (string?)Values["primary_conninfo"];

    /// <summary><c>primary_ssh_command</c>: Set = passive node (no local archiving).</summary>
    public string? PrimarySshCommand => (string?)Values["primary_ssh_command"];

    /// <summary><c>ssh_command</c>: SSH command for rsync backups.</summary>
    public string? SshCommand => (string?)Values["ssh_command"];

    /// <summary><c>slot_name</c>: Physical replication slot (lower-cased).</summary>
    public string? SlotName => (string?)Values["slot_name"];

    /// <summary><c>create_slot</c>: <c>auto</c> or <c>manual</c> (default <c>manual</c>).</summary>
    public string CreateSlot => (string)Values["create_slot"]!;

    /// <summary><c>path_prefix</c>: Directories (<c>:</c>-separated) searched before <c>PATH</c>.</summary>
    public string? PathPrefix => (string?)Values["path_prefix"];

    /// <summary><c>check_timeout</c>: Time limit of a whole check run in seconds (default 30).</summary>
    public long CheckTimeout => (long)Values["check_timeout"]!;

    /// <summary><c>max_incoming_wals_queue</c>: check fails when more files than this wait (unset = no limit).</summary>
    public long? MaxIncomingWalsQueue => (long?)Values["max_incoming_wals_queue"];

    /// <summary><c>last_wal_maximum_age</c>: check: maximum age of the newest archived WAL.</summary>
    public TimeSpan? LastWalMaximumAge => (TimeSpan?)Values["last_wal_maximum_age"];

    /// <summary><c>last_backup_maximum_age</c>: check: maximum age of the newest backup.</summary>
    public TimeSpan? LastBackupMaximumAge => (TimeSpan?)Values["last_backup_maximum_age"];

    /// <summary><c>last_backup_minimum_size</c>: check: minimum size of the newest backup in bytes.</summary>
    public long? LastBackupMinimumSize => (long?)Values["last_backup_minimum_size"];

    /// <summary><c>backup_method</c>: <c>rsync</c> (default), <c>postgres</c>, <c>local-rsync</c>, <c>snapshot</c>, <c>local-to-cloud</c>.</summary>
    public string BackupMethod => (string)Values["backup_method"]!;

    /// <summary><c>parallel_jobs</c>: Parallel workers (default 1; 3.18 cloud: upload jobs).</summary>
    public long ParallelJobs => (long)Values["parallel_jobs"]!;

    /// <summary><c>backup_compression</c>: pg_basebackup compression (encryption validity check).</summary>
    public string? BackupCompression => (string?)Values["backup_compression"];

    /// <summary><c>backup_compression_format</c>: <c>plain</c> or <c>tar</c> (encryption validity check).</summary>
    public string? BackupCompressionFormat => (string?)Values["backup_compression_format"];

    /// <summary><c>backup_directory</c>: Server root (default <c>&lt;barman_home&gt;/&lt;name&gt;</c>).</summary>
    public string BackupDirectory => (string)Values["backup_directory"]!;

    /// <summary><c>basebackups_directory</c>: Base backups (default <c>&lt;backup_directory&gt;/base</c>; 3.18 may be a cloud URL).</summary>
    public string BasebackupsDirectory => (string)Values["basebackups_directory"]!;

    /// <summary><c>wals_directory</c>: WAL archive (default <c>&lt;backup_directory&gt;/wals</c>; a cloud URL selects cloud WAL storage).</summary>
    public string WalsDirectory => (string)Values["wals_directory"]!;

    /// <summary><c>incoming_wals_directory</c>: archive_command drop box (default <c>&lt;backup_directory&gt;/incoming</c>).</summary>
    public string IncomingWalsDirectory => (string)Values["incoming_wals_directory"]!;

    /// <summary><c>streaming_wals_directory</c>: pg_receivewal target (default <c>&lt;backup_directory&gt;/streaming</c>).</summary>
    public string StreamingWalsDirectory => (string)Values["streaming_wals_directory"]!;

    /// <summary><c>errors_directory</c>: Quarantined files (default <c>&lt;backup_directory&gt;/errors</c>).</summary>
    public string ErrorsDirectory => (string)Values["errors_directory"]!;

    /// <summary><c>xlogdb_directory</c>: Directory of <c>&lt;name&gt;-xlog.db</c> (default <c>wals_directory</c>; <c>xlogdb_directory =</c> leaves it unset).</summary>
    public string? XlogdbDirectory => (string?)Values["xlogdb_directory"];

    /// <summary><c>compression</c>: WAL compression name, lower-cased as configured (null = none).</summary>
    public string? Compression => (string?)Values["compression"];

    /// <summary><c>compression_level</c>: <c>low</c>, <c>medium</c> (default), <c>high</c> or an integer as text.</summary>
    public string? CompressionLevel => (string?)Values["compression_level"];

    /// <summary><c>custom_compression_filter</c>: Shell filter compressing stdin to stdout (compression = custom).</summary>
    public string? CustomCompressionFilter => (string?)Values["custom_compression_filter"];

    /// <summary><c>custom_decompression_filter</c>: Shell filter decompressing stdin to stdout (compression = custom).</summary>
    public string? CustomDecompressionFilter => (string?)Values["custom_decompression_filter"];

    /// <summary><c>custom_compression_magic</c>: <c>0x</c> + hex magic bytes of custom-compressed files.</summary>
    public string? CustomCompressionMagic => (string?)Values["custom_compression_magic"];

    /// <summary><c>encryption</c>: <c>gpg</c> or null (<c>none</c> parses to null).</summary>
    public string? Encryption => (string?)Values["encryption"];

    /// <summary><c>encryption_key_id</c>: gpg recipient.</summary>
    public string? EncryptionKeyId => (string?)Values["encryption_key_id"];

    /// <summary><c>encryption_passphrase_command</c>: Command printing the passphrase (decryption only).</summary>
    public string? EncryptionPassphraseCommand => (string?)Values["encryption_passphrase_command"];

    /// <summary><c>pre_archive_script</c>: Hook run before each WAL is stored.</summary>
    public string? PreArchiveScript => (string?)Values["pre_archive_script"];

    /// <summary><c>pre_archive_retry_script</c>: Retry hook run before each WAL is stored.</summary>
    public string? PreArchiveRetryScript => (string?)Values["pre_archive_retry_script"];

    /// <summary><c>post_archive_script</c>: Hook run after each WAL is stored.</summary>
    public string? PostArchiveScript => (string?)Values["post_archive_script"];

    /// <summary><c>post_archive_retry_script</c>: Retry hook run after each WAL is stored.</summary>
    public string? PostArchiveRetryScript => (string?)Values["post_archive_retry_script"];

    /// <summary><c>pre_wal_delete_script</c>: Hook run before each WAL deletion.</summary>
    public string? PreWalDeleteScript => (string?)Values["pre_wal_delete_script"];

    /// <summary><c>pre_wal_delete_retry_script</c>: Retry hook run before each WAL deletion.</summary>
    public string? PreWalDeleteRetryScript => (string?)Values["pre_wal_delete_retry_script"];

    /// <summary><c>post_wal_delete_script</c>: Hook run after each WAL deletion.</summary>
    public string? PostWalDeleteScript => (string?)Values["post_wal_delete_script"];

    /// <summary><c>post_wal_delete_retry_script</c>: Retry hook run after each WAL deletion.</summary>
    public string? PostWalDeleteRetryScript => (string?)Values["post_wal_delete_retry_script"];

    /// <summary><c>aws_profile</c>: AWS profile (cloud WAL storage, snapshots).</summary>
    public string? AwsProfile => (string?)Values["aws_profile"];

    /// <summary><c>aws_region</c>: AWS region.</summary>
    public string? AwsRegion => (string?)Values["aws_region"];

    /// <summary><c>aws_read_timeout</c>: (3.18) S3 read timeout in seconds.</summary>
    public long? AwsReadTimeout => (long?)Values["aws_read_timeout"];

    /// <summary><c>aws_encryption</c>: (3.18) S3 server-side encryption: <c>AES256</c> or <c>aws:kms</c>.</summary>
    public string? AwsEncryption => (string?)Values["aws_encryption"];

    /// <summary><c>aws_sse_kms_key_id</c>: (3.18) KMS key id (requires aws_encryption = aws:kms).</summary>
    public string? AwsSseKmsKeyId => (string?)Values["aws_sse_kms_key_id"];

    /// <summary><c>cloud_delete_batch_size</c>: (3.18) objects per delete request.</summary>
    public long? CloudDeleteBatchSize => (long?)Values["cloud_delete_batch_size"];

    /// <summary><c>cloud_wal_restore_parallel</c>: (3.18) get-wal prefetch from cloud.</summary>
    public long? CloudWalRestoreParallel => (long?)Values["cloud_wal_restore_parallel"];

    /// <summary><c>cloud_wal_archive_parallel</c>: Parallel uploads of cloud-wal-archive.</summary>
    public long? CloudWalArchiveParallel => (long?)Values["cloud_wal_archive_parallel"];

    /// <summary><c>cloud_staging_directory</c>: (3.18) base-backup staging directory.</summary>
    public string? CloudStagingDirectory => (string?)Values["cloud_staging_directory"];

    /// <summary><c>cloud_staging_max_size</c>: (3.18) base-backup staging size limit in bytes.</summary>
    public long? CloudStagingMaxSize => (long?)Values["cloud_staging_max_size"];

    /// <summary><c>cloud_upload_max_archive_size</c>: (3.18) base-backup upload archive size (default 100G).</summary>
    public long? CloudUploadMaxArchiveSize => (long?)Values["cloud_upload_max_archive_size"];

    /// <summary><c>cloud_upload_min_chunk_size</c>: (3.18) base-backup upload chunk size.</summary>
    public long? CloudUploadMinChunkSize => (long?)Values["cloud_upload_min_chunk_size"];
    /// <summary><c>wal_header_validation</c> (barman-wal): check WAL headers before archiving (default on).</summary>
    public bool WalHeaderValidation => (bool)Values["wal_header_validation"]!;

    /// <summary><c>purge_wal_keep_days</c> (barman-wal): purge-wal and cron keep this many days of WAL when there is no backup.</summary>
    public long? PurgeWalKeepDays => (long?)Values["purge_wal_keep_days"];

    /// <summary><c>purge_wal_keep_size</c> (barman-wal): purge-wal and cron keep this much WAL when there is no backup.</summary>
    public long? PurgeWalKeepSize => (long?)Values["purge_wal_keep_size"];

    /// <summary>
    /// <c>incomplete_wal_timeout</c> (barman-wal): seconds a short WAL segment must stay unmodified before
    /// archive-wal judges it; a newer one may still be being written and waits (default 60, 0 = judge at once).
    /// </summary>
    public long IncompleteWalTimeout => Math.Max(0, (long)Values["incomplete_wal_timeout"]!);

    /// <summary>
    /// The receive-wal connection overrides (<c>wal_streaming_conninfo</c>, <c>wal_conninfo</c>):
    /// the connection strings to use and Barman's <c>Configuration overrides applied: …</c> line
    /// (null when nothing was overridden).
    /// </summary>
    public WalConnectionOverrides GetWalConnectionOverrides()
    {
        var parts = new List<string>();
        var streaming = StreamingConninfo;
        var conninfo = Conninfo;
        if (WalStreamingConninfo is not null)
        {
            streaming = WalStreamingConninfo;
            parts.Add($"'streaming_conninfo' overridden with '{WalStreamingConninfo}'");
        }

        var walConninfo = WalConninfo ?? WalStreamingConninfo;
        if (walConninfo is not null)
        {
            conninfo = walConninfo;
            parts.Add($"'conninfo' overridden with '{walConninfo}'");
        }

        return new WalConnectionOverrides(
            conninfo,
            streaming,
            parts.Count == 0 ? null : "Configuration overrides applied: " + string.Join(" and ", parts));
    }

    /// <summary>
    /// An option's value printed as Barman's show-server does: <c>None</c>, <c>True</c>/<c>False</c>,
    /// plain integers, Python <c>timedelta</c> text, strings as they are.
    /// </summary>
    public string Render(string option)
    {
        if (option == "disabled")
        {
            return Disabled ? "True" : "False";
        }

        if (!_values.TryGetValue(option, out var value))
        {
            throw new ArgumentException($"unknown option '{option}'", nameof(option));
        }

        return value switch
        {
            null => "None",
            bool b => b ? "True" : "False",
            long l => l.ToString(CultureInfo.InvariantCulture),
            TimeSpan t => OptionParsers.FormatTimedelta(t),
            string s => s,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None",
        };
    }

    internal void AddMessage(string message)
    {
        _messages.Add(message);
        Disabled = true;
    }

    internal void AddWarning(string warning) => _warnings.Add(warning);

    internal void AddCommandWarning(string warning) => _commandWarnings.Add(warning);

    internal void ForceArchiver()
    {
        _values["archiver"] = true;
        ArchiverForced = true;
    }

    internal void ApplyModel(string model, IReadOnlyDictionary<string, (object? Value, string Raw)> overrides)
    {
        foreach (var (key, (value, raw)) in overrides)
        {
            _values[key] = value;
            _raw[key] = raw;
        }

        ActiveModel = model;
    }
}

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>How to configure a throwaway <see cref="PostgresCluster"/>.</summary>
public sealed class PostgresClusterOptions
{
    /// <summary>wal_level (default <c>replica</c>).</summary>
    public string WalLevel { get; init; } = "replica";

    /// <summary>archive_mode (default <c>on</c>).</summary>
    public string ArchiveMode { get; init; } = "on";

    /// <summary>
    /// archive_command; null (the default) copies each segment atomically into
    /// <see cref="IncomingDirectory"/> (or the cluster's own <c>incoming</c> directory).
    /// </summary>
    public string? ArchiveCommand { get; init; }

    /// <summary>
    /// Where the default archive_command drops segments; made writable for the postgres user.
    /// Null: <c>&lt;cluster dir&gt;/incoming</c>.
    /// </summary>
    public string? IncomingDirectory { get; init; }

    /// <summary>max_wal_senders (default 10).</summary>
    public int MaxWalSenders { get; init; } = 10;

    /// <summary>max_replication_slots (default 10).</summary>
    public int MaxReplicationSlots { get; init; } = 10;

    /// <summary>synchronous_standby_names (default empty).</summary>
    public string SynchronousStandbyNames { get; init; } = "";

    /// <summary>WAL segment size in MiB given to initdb (default 16).</summary>
    public int WalSegmentSizeMb { get; init; } = 16;

    /// <summary>Physical replication slots to create right after the first start.</summary>
    public IReadOnlyList<string> ReplicationSlots { get; init; } = [];

    /// <summary>A login role with a password that must use it over TCP (scram-sha-256); null for none.</summary>
    public PostgresPasswordUser? PasswordUser { get; init; }

    /// <summary>Any further postgresql.conf settings (values are written quoted).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

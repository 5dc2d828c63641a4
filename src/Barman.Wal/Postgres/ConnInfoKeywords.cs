namespace Barman.Wal.Postgres;

/// <summary>The connection keywords libpq (15 and 16) accepts.</summary>
internal static class ConnInfoKeywords
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "service", "user", "password", "passfile", "channel_binding", "connect_timeout", "dbname", "host",
        "hostaddr", "port", "client_encoding", "options", "application_name", "fallback_application_name",
        "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
        "sslmode", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslcertmode", "sslrootcert", "sslcrl",
        "sslcrldir", "sslsni", "requirepeer", "require_auth", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "gssencmode", "krbsrvname", "gsslib", "gssdelegation", "replication",
        "target_session_attrs", "load_balance_hosts", "requiressl", "sslnegotiation",
    };
}

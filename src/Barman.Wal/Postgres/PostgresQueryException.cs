using Barman.Wal.Errors;

namespace Barman.Wal.Postgres;

/// <summary>A query or replication command failed on a working connection.</summary>
public sealed class PostgresQueryException(string message, string? sqlState, string serverMessage, Exception? innerException = null)
    : BarmanWalException(message, innerException)
{
    /// <summary>The SQLSTATE (e.g. 42710 duplicate_object, 42704 undefined_object, 55006 object_in_use, 53400), null for client-side failures.</summary>
    public string? SqlState { get; } = sqlState;

    /// <summary>The server's own message text, without severity or SQLSTATE.</summary>
    public string ServerMessage { get; } = serverMessage;
}

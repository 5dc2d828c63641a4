using Barman.Wal.Errors;

namespace Barman.Wal.Postgres;

/// <summary>PostgreSQL could not be reached or refused the login; <see cref="Reason"/> reads like libpq's error.</summary>
public sealed class PostgresConnectionException(string reason, Exception? innerException = null)
    : BarmanWalException($"cannot connect to PostgreSQL: {reason}", innerException)
{
    /// <summary>The one-line cause, e.g. <c>connection to server at "127.0.0.1", port 5432 failed: Connection refused</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>The SQLSTATE when the server itself refused (e.g. 28P01), else null.</summary>
    public string? SqlState { get; init; }
}

using System.Globalization;
using Npgsql;

namespace Barman.Wal.Postgres;

/// <summary>Turns Npgsql failures into one-line barman-wal exceptions.</summary>
internal static class PostgresErrors
{
    public static PostgresConnectionException Connection(NpgsqlConnectionStringBuilder target, Exception e)
    {
        var where = Where(target);
        return e switch
        {
            PostgresException pg => new PostgresConnectionException($"{where} failed: {pg.Severity}:  {OneLine(pg.MessageText)}", e) { SqlState = pg.SqlState },
            _ => new PostgresConnectionException($"{where} failed: {OneLine(Innermost(e))}", e),
        };
    }

    public static PostgresConnectionException Timeout(NpgsqlConnectionStringBuilder target, Exception? e = null) =>
        new($"{Where(target)} failed: timeout expired", e);

    public static PostgresQueryException Query(string what, Exception e) => e switch
    {
        PostgresException pg => new PostgresQueryException($"{what} failed: {OneLine(pg.MessageText)}", pg.SqlState, OneLine(pg.MessageText), e),
        _ => new PostgresQueryException($"{what} failed: {OneLine(Innermost(e))}", null, OneLine(Innermost(e)), e),
    };

    private static string Where(NpgsqlConnectionStringBuilder target)
    {
        var host = target.Host ?? ConnInfo.DefaultSocketDirectory;
        var port = target.Port.ToString(CultureInfo.InvariantCulture);
        return host.StartsWith('/') && !host.Contains(',', StringComparison.Ordinal)
            ? $"connection to server on socket \"{host}/.s.PGSQL.{port}\""
            : $"connection to server at \"{host}\", port {port}";
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null && e is not PostgresException)
        {
            e = e.InnerException;
        }

        return e is PostgresException pg ? pg.MessageText : e.Message;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

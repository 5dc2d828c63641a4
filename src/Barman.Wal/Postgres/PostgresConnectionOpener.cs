using Npgsql;

namespace Barman.Wal.Postgres;

/// <summary>
/// Opens Npgsql connections within a time limit that really holds, and honours cancellation
/// promptly: Npgsql's own connect timeout covers the TCP connect, but a server that accepts
/// and never answers is only noticed through the token, which Npgsql does not always watch.
/// </summary>
internal static class PostgresConnectionOpener
{
    /// <summary>Makes Npgsql's connect and command timeouts no longer than <paramref name="timeout"/>.</summary>
    public static void ApplyTimeout(NpgsqlConnectionStringBuilder builder, TimeSpan timeout)
    {
        if (!IsLimited(timeout))
        {
            return;
        }

        var seconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, 1024);
        if (builder.Timeout == 0 || builder.Timeout > seconds)
        {
            builder.Timeout = seconds;
        }

        builder.CommandTimeout = seconds;
    }

    /// <summary>
    /// Runs <paramref name="open"/>; on any failure <paramref name="connection"/> is disposed (once
    /// the abandoned open has finished, if it is still running) and the failure becomes a
    /// <see cref="PostgresConnectionException"/>, or an <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> fired.
    /// </summary>
    public static async Task OpenAsync(
        NpgsqlConnectionStringBuilder target,
        TimeSpan timeout,
        Func<CancellationToken, Task> open,
        IAsyncDisposable connection,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (IsLimited(timeout))
        {
            limit.CancelAfter(timeout);
        }

        var task = open(limit.Token);
        try
        {
            await task.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (task.IsCompleted)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                // Never dispose a connection while its open is in flight; Npgsql's timeout ends it.
                _ = task.ContinueWith(
                    t =>
                    {
                        _ = t.Exception;
                        return connection.DisposeAsync().AsTask();
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("opening the PostgreSQL connection was cancelled", e, cancellationToken);
            }

            if (limit.IsCancellationRequested || e is TimeoutException || e.InnerException is TimeoutException)
            {
                throw PostgresErrors.Timeout(target, e);
            }

            throw PostgresErrors.Connection(target, e);
        }
    }

    private static bool IsLimited(TimeSpan timeout) => timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan;
}

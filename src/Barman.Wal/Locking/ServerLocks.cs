namespace Barman.Wal.Locking;

/// <summary>Barman's lock file names inside <c>barman_lock_directory</c>.</summary>
public static class ServerLocks
{
    /// <summary><c>.&lt;server&gt;-archive-wal.lock</c>, non-blocking, held for a whole archive-wal run.</summary>
    public static string ArchiveWal(string lockDirectory, string server) =>
        Path.Combine(lockDirectory, $".{server}-archive-wal.lock");

    /// <summary><c>.&lt;server&gt;-receive-wal.lock</c>, held for the life of pg_receivewal.</summary>
    public static string ReceiveWal(string lockDirectory, string server) =>
        Path.Combine(lockDirectory, $".{server}-receive-wal.lock");

    /// <summary><c>.&lt;server&gt;-xlogdb.lock</c>, blocking, held for every catalog access.</summary>
    public static string XlogDb(string lockDirectory, string server) =>
        Path.Combine(lockDirectory, $".{server}-xlogdb.lock");
}

using Barman.Wal.Locking;

namespace Barman.Wal.Streaming;

/// <summary>
/// The note <c>receive-wal --stop</c> leaves before it escalates to SIGTERM:
/// <c>.&lt;server&gt;-receive-wal.stop</c> next to the receive-wal lock, naming the process it stops
/// (<see cref="ProcessIdentity"/>). A receiver ended by SIGTERM that finds itself named there was stopped
/// on request and exits 0; any other SIGTERM keeps exit 143.
/// </summary>
/// <remarks>
/// The lock file itself is left as Barman writes it (PID and newline): the note is a separate file, whose
/// name does not end in <c>.lock</c>, so Barman's lock scan never sees it. The PID and start time make a
/// note left behind by a crash harmless: it can never name a later process.
/// </remarks>
public static class ReceiveWalStopRequest
{
    /// <summary>The note's path for <paramref name="server"/>.</summary>
    public static string PathFor(string lockDirectory, string server) =>
        Path.ChangeExtension(ServerLocks.ReceiveWal(lockDirectory, server), ".stop");

    /// <summary>Records that <paramref name="target"/> is being stopped (written whole, then renamed into place).</summary>
    /// <exception cref="IOException">The note cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock directory is not writable.</exception>
    public static void Write(string lockDirectory, string server, ProcessIdentity target)
    {
        var path = PathFor(lockDirectory, server);
        var staged = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(staged, target + "\n");
        File.Move(staged, path, overwrite: true);
    }

    /// <summary>
    /// True when the note names <paramref name="self"/>; the note is then removed. A note naming another
    /// process is left alone.
    /// </summary>
    public static bool Claim(string lockDirectory, string server, ProcessIdentity self)
    {
        if (!Names(lockDirectory, server, self))
            return false;
        Remove(lockDirectory, server, self);
        return true;
    }

    /// <summary>Removes the note if it names <paramref name="target"/>.</summary>
    public static void Remove(string lockDirectory, string server, ProcessIdentity target)
    {
        if (!Names(lockDirectory, server, target))
            return;
        try
        {
            File.Delete(PathFor(lockDirectory, server));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Harmless: the note names a process that is gone, and no later process can match it.
        }
    }

    private static bool Names(string lockDirectory, string server, ProcessIdentity process)
    {
        try
        {
            return ProcessIdentity.Parse(File.ReadAllText(PathFor(lockDirectory, server))) == process;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

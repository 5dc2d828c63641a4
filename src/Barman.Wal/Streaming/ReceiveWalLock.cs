using System.Globalization;
using System.Runtime.InteropServices;
using Barman.Wal.Locking;
using Barman.Wal.Platform;

namespace Barman.Wal.Streaming;

/// <summary>
/// The receive-wal lock <c>.&lt;server&gt;-receive-wal.lock</c> (spec: receive-wal §9): taken for the life
/// of pg_receivewal, probed without writing by <c>--stop</c> and check.
/// </summary>
/// <remarks>
/// The PID is read with open(2)/read(2), not a FileStream: .NET's FileStream takes a shared flock of its
/// own, which fails while the holder has the exclusive one.
/// </remarks>
public static class ReceiveWalLock
{
    /// <summary>The lock path for <paramref name="server"/>.</summary>
    public static string PathFor(string lockDirectory, string server) => ServerLocks.ReceiveWal(lockDirectory, server);

    /// <summary>Takes the lock (writes our PID); null when a receiver holds it.</summary>
    public static LockFile? TryAcquire(string lockDirectory, string server)
    {
        Directory.CreateDirectory(lockDirectory);
        return LockFile.TryAcquire(PathFor(lockDirectory, server));
    }

    /// <summary>
    /// The running receiver's PID: null when the lock is free (a stale file of a dead process is free),
    /// 0 when held but the PID is unreadable.
    /// </summary>
    public static int? ProbeOwner(string lockDirectory, string server)
    {
        var path = PathFor(lockDirectory, server);
        return File.Exists(path) ? LockFile.ProbeOwner(path) : null;
    }

    /// <summary>The first line of the lock file as a PID, or null.</summary>
    public static int? ReadPid(string path) => LockFile.ReadPid(path) is { } pid && pid > 0 ? pid : null;

    /// <summary>kill(2); returns 0 or the errno.</summary>
    internal static int Signal(int pid, int signal) =>
        NativeMethods.kill(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>True while <paramref name="pid"/> exists (kill 0 succeeds or fails with EPERM) and is not a zombie.</summary>
    internal static bool IsAlive(int pid)
    {
        var errno = Signal(pid, 0);
        if (errno != 0 && errno != NativeMethods.EPERM)
            return false;
        try
        {
            // A zombie has exited already; only its parent has not reaped it yet.
            return ProcessStat.Read(pid) is { State: not 'Z' };
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}

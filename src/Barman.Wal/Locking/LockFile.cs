using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Barman.Wal.Platform;

namespace Barman.Wal.Locking;

/// <summary>
/// A Barman lock file: <c>open(O_CREAT|O_RDWR, 0600)</c> + BSD <c>flock(LOCK_EX)</c>, the owner's PID
/// written into it. The same kernel lock type as Barman, so both tools exclude each other.
/// </summary>
/// <remarks>The file is never deleted; release is <c>flock(LOCK_UN)</c> + close, or process death,
/// so a file left by a killed process is never "busy".</remarks>
public sealed class LockFile : IDisposable
{
    private int _fd;

    private LockFile(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    /// <summary>The lock file's path.</summary>
    public string Path { get; }

    /// <summary>Takes the lock without waiting; null when another process holds it.</summary>
    /// <exception cref="LockException">The file cannot be opened or locked for another reason.</exception>
    public static LockFile? TryAcquire(string path, bool writePid = true)
    {
        var fd = Open(path);
        if (NativeMethods.flock(fd, NativeMethods.LOCK_EX | NativeMethods.LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            NativeMethods.close(fd);
            if (errno == NativeMethods.EWOULDBLOCK)
                return null;
            throw new LockException(path, errno);
        }

        var lockFile = new LockFile(path, fd);
        if (writePid)
            lockFile.WritePid();
        return lockFile;
    }

    /// <summary>Takes the lock, waiting for it (the catalog lock); the wait ends with the token.</summary>
    public static async Task<LockFile> AcquireAsync(string path, CancellationToken cancellationToken = default)
    {
        var delay = 2;
        while (true)
        {
            var acquired = TryAcquire(path);
            if (acquired is not null)
                return acquired;
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 50);
        }
    }

    /// <summary>
    /// Probes a lock without writing a PID: null when nobody holds it, else the owner's PID as read
    /// from the file (0 when unreadable).
    /// </summary>
    public static int? ProbeOwner(string path)
    {
        using (var probe = TryAcquire(path, writePid: false))
        {
            if (probe is not null)
                return null;
        }

        return ReadPid(path) ?? 0;
    }

    /// <summary>The PID written in a lock file, or null when the file is missing or unparsable.</summary>
    /// <remarks>Read with a raw <c>read(2)</c>: a .NET FileStream would take its own advisory lock.</remarks>
    public static unsafe int? ReadPid(string path)
    {
        var fd = NativeMethods.open(path, NativeMethods.O_RDONLY | NativeMethods.O_CLOEXEC, 0);
        if (fd < 0)
            return null;
        try
        {
            var buffer = stackalloc byte[64];
            var read = (int)NativeMethods.read(fd, buffer, 64);
            if (read <= 0)
                return null;
            var text = Encoding.ASCII.GetString(buffer, read);
            var line = text.Split('\n')[0].Trim();
            return int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    private static int Open(string path)
    {
        var fd = NativeMethods.open(path, NativeMethods.O_CREAT | NativeMethods.O_RDWR | NativeMethods.O_CLOEXEC, 0x180);
        if (fd < 0)
            throw new LockException(path, Marshal.GetLastPInvokeError());
        return fd;
    }

    private unsafe void WritePid()
    {
        var bytes = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        NativeMethods.lseek(_fd, 0, 0);
        fixed (byte* p = bytes)
            NativeMethods.write(_fd, p, bytes.Length);
        NativeMethods.ftruncate(_fd, bytes.Length);
    }

    /// <summary>Releases the lock (flock LOCK_UN, close). The file stays.</summary>
    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd < 0)
            return;
        NativeMethods.flock(fd, NativeMethods.LOCK_UN);
        NativeMethods.close(fd);
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace Barman.Wal.Encryption;

/// <summary>
/// A pipe holding the passphrase for <c>gpg --passphrase-fd &lt;n&gt;</c>: the passphrase never appears in
/// argv, the environment or a file. The read end is the only descriptor gpg inherits (every descriptor .NET
/// opens is close-on-exec); the write end is filled and closed before gpg starts.
/// </summary>
internal sealed partial class PassphrasePipe : IDisposable
{
    private const int O_CLOEXEC = 0x80000;
    private const int F_SETFD = 2;
    private int _readFd;

    private PassphrasePipe(int readFd) => _readFd = readFd;

    /// <summary>The descriptor number to pass to <c>--passphrase-fd</c>.</summary>
    public int Descriptor => _readFd;

    /// <summary>Creates the pipe with <paramref name="passphrase"/> (UTF-8, exactly as given) already written.</summary>
    public static unsafe PassphrasePipe Create(string passphrase)
    {
        var bytes = Encoding.UTF8.GetBytes(passphrase);
        if (bytes.Length > 60 * 1024)
            throw new GpgException("The passphrase is too long");
        int* fds = stackalloc int[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            throw new GpgException($"pipe: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        int readFd = fds[0], writeFd = fds[1];
        try
        {
            fixed (byte* data = bytes)
            {
                var written = 0;
                while (written < bytes.Length)
                {
                    var n = write(writeFd, data + written, bytes.Length - written);
                    if (n < 0)
                        throw new GpgException($"pipe write: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                    written += (int)n;
                }
            }

            if (fcntl(readFd, F_SETFD, 0) != 0)
                throw new GpgException($"fcntl: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        catch
        {
            _ = close(readFd);
            throw;
        }
        finally
        {
            _ = close(writeFd);
        }

        return new PassphrasePipe(readFd);
    }

    /// <summary>Closes the parent's read end (call once gpg has started).</summary>
    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _readFd, -1);
        if (fd >= 0)
            _ = close(fd);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}

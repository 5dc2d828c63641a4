using System.Runtime.InteropServices;

namespace Barman.Wal.Platform;

/// <summary>fsync of files and directories, so that a rename or a new file survives a crash.</summary>
public static class Durability
{
    /// <summary>fsyncs a file by path (read-only open; read-write when the kernel refuses with EACCES).</summary>
    public static void SyncFile(string path)
    {
        var fd = NativeMethods.open(path, NativeMethods.O_RDONLY | NativeMethods.O_CLOEXEC, 0);
        if (fd < 0 && Marshal.GetLastPInvokeError() == NativeMethods.EACCES)
            fd = NativeMethods.open(path, NativeMethods.O_RDWR | NativeMethods.O_CLOEXEC, 0);
        if (fd < 0)
            throw Error(path);
        try
        {
            if (NativeMethods.fsync(fd) != 0)
                throw Error(path);
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    /// <summary>fsyncs a directory so renames and creations in it are durable; EINVAL is ignored.</summary>
    public static void SyncDirectory(string path)
    {
        var fd = NativeMethods.open(path, NativeMethods.O_RDONLY | NativeMethods.O_DIRECTORY | NativeMethods.O_CLOEXEC, 0);
        if (fd < 0)
            throw Error(path);
        try
        {
            if (NativeMethods.fsync(fd) != 0 && Marshal.GetLastPInvokeError() != NativeMethods.EINVAL)
                throw Error(path);
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    private static IOException Error(string path) =>
        new($"{path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}

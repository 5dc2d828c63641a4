using System.Runtime.InteropServices;

namespace Barman.Wal.Platform;

/// <summary>What <c>stat()</c> says of a path, with the nanosecond times Barman's catalog needs.</summary>
public readonly record struct FileStatus(
    long Size,
    long ModifySeconds,
    uint ModifyNanoseconds,
    long AccessSeconds,
    uint AccessNanoseconds,
    int Mode,
    bool IsRegularFile,
    bool IsDirectory,
    bool IsSymbolicLink)
{
    private const int S_IFMT = 0xF000;
    private const int S_IFREG = 0x8000;
    private const int S_IFDIR = 0x4000;
    private const int S_IFLNK = 0xA000;

    /// <summary>The mtime as Python computes <c>st_mtime</c>: <c>sec + nsec * 1e-9</c> in double.</summary>
    public double PythonModifyTime => ModifySeconds + (ModifyNanoseconds * 1e-9);

    /// <summary>stat (following links) or lstat; null when the path does not exist.</summary>
    public static unsafe FileStatus? TryGet(string path, bool followLinks = true)
    {
        NativeMethods.StatxBuffer buffer;
        var flags = followLinks ? 0 : NativeMethods.AT_SYMLINK_NOFOLLOW;
        if (NativeMethods.statx(NativeMethods.AT_FDCWD, path, flags, NativeMethods.STATX_BASIC_STATS, &buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 2 or 20 or 40) // ENOENT, ENOTDIR, ELOOP (a symlink loop: not a file, as for Python)
                return null;
            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var type = buffer.Mode & S_IFMT;
        return new FileStatus(
            (long)buffer.Size,
            buffer.ModifyTime.Seconds,
            buffer.ModifyTime.Nanoseconds,
            buffer.AccessTime.Seconds,
            buffer.AccessTime.Nanoseconds,
            buffer.Mode & 0xFFF,
            type == S_IFREG,
            type == S_IFDIR,
            type == S_IFLNK);
    }

    /// <summary>Sets atime and mtime of <paramref name="path"/> to the nanosecond values of this status.</summary>
    public unsafe void ApplyTimesTo(string path)
    {
        var times = stackalloc NativeMethods.Timespec[2];
        times[0] = new NativeMethods.Timespec { Seconds = AccessSeconds, Nanoseconds = AccessNanoseconds };
        times[1] = new NativeMethods.Timespec { Seconds = ModifySeconds, Nanoseconds = ModifyNanoseconds };
        if (NativeMethods.utimensat(NativeMethods.AT_FDCWD, path, times, 0) != 0)
            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }
}

using System.Runtime.InteropServices;

namespace Barman.Wal.Platform;

/// <summary>Link, rename and mode calls with errno, for the moves that must never overwrite.</summary>
public static class PosixFile
{
    /// <summary>Hard-links <paramref name="source"/> as <paramref name="target"/>; returns errno (0 on success).</summary>
    public static int TryLink(string source, string target) =>
        NativeMethods.link(source, target) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>rename(2), replacing <paramref name="target"/> if it exists; throws on failure.</summary>
    public static void Rename(string source, string target)
    {
        if (NativeMethods.rename(source, target) != 0)
            throw new IOException($"rename {source} -> {target}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>
    /// Moves a file to a name that must not exist yet: one atomic renameat2(RENAME_NOREPLACE); where the
    /// filesystem lacks it, link + unlink (a crash in between leaves the temporary name too), else rename.
    /// </summary>
    public static void MoveNoReplace(string source, string target)
    {
        if (NativeMethods.renameat2(NativeMethods.AT_FDCWD, source, NativeMethods.AT_FDCWD, target, NativeMethods.RENAME_NOREPLACE) == 0)
            return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == NativeMethods.EEXIST)
            throw new IOException($"{target}: {Marshal.GetPInvokeErrorMessage(errno)}");
        if (errno is not (NativeMethods.EINVAL or 38 /* ENOSYS */ or 95 /* EOPNOTSUPP */))
            throw new IOException($"rename {source} -> {target}: {Marshal.GetPInvokeErrorMessage(errno)}");

        errno = TryLink(source, target);
        if (errno == 0)
        {
            FaultInjection.At("mid-rename");
            File.Delete(source);
            return;
        }

        if (errno == NativeMethods.EEXIST)
            throw new IOException($"{target}: {Marshal.GetPInvokeErrorMessage(errno)}");
        if (File.Exists(target) || Directory.Exists(target))
            throw new IOException($"{target}: {Marshal.GetPInvokeErrorMessage(NativeMethods.EEXIST)}");
        Rename(source, target);
    }

    /// <summary>chmod(2) with the permission bits of a <see cref="FileStatus"/>.</summary>
    public static void SetMode(string path, int mode)
    {
        if (NativeMethods.chmod(path, mode) != 0)
            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>True for the errno values that mean "not on this filesystem / not supported here".</summary>
    public static bool IsCrossDeviceOrUnsupported(int errno) =>
        errno is NativeMethods.EXDEV or NativeMethods.EPERM or 95 /* EOPNOTSUPP */ or 38 /* ENOSYS */;

    /// <summary>True when errno says the source vanished.</summary>
    public static bool IsNotFound(int errno) => errno == NativeMethods.ENOENT;

    /// <summary>strerror of an errno value.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}

using System.Runtime.InteropServices;

namespace Barman.Wal.Platform;

/// <summary>The few libc calls .NET does not expose: flock, fsync of a directory, statx, user accounts and credentials.</summary>
internal static partial class NativeMethods
{
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;
    internal const int LOCK_UN = 8;

    internal const int O_RDONLY = 0;
    internal const int O_RDWR = 2;
    internal const int O_CREAT = 0x40;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_CLOEXEC = 0x80000;

    internal const int EINTR = 4;
    internal const int EACCES = 13;
    internal const int EINVAL = 22;
    internal const int EWOULDBLOCK = 11;
    internal const int EEXIST = 17;
    internal const int EXDEV = 18;
    internal const int EPERM = 1;
    internal const int ENOENT = 2;

    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const uint STATX_BASIC_STATS = 0x7ff;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int flock(int fd, int operation);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int statx(int dirfd, string path, int flags, uint mask, StatxBuffer* buffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int utimensat(int dirfd, string path, Timespec* times, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int link(string oldPath, string newPath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rename(string oldPath, string newPath);

    internal const uint RENAME_NOREPLACE = 1;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chmod(string path, int mode);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    internal static partial int getpid();

    internal const int ERANGE = 34;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int getpwnam_r(string name, Passwd* entry, byte* buffer, nint bufferLength, Passwd** result);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int getgrouplist(string user, uint group, uint* groups, int* count);

    // glibc's setgroups/setgid/setuid apply the change to every thread of the process (not the raw syscalls)
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int setgroups(nint size, uint* groups);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int setgid(uint gid);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int setuid(uint uid);

    [LibraryImport("libc")]
    internal static partial uint geteuid();

    /// <summary>glibc <c>struct passwd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Directory;
        public byte* Shell;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct StatxTimestamp
    {
        public long Seconds;
        public uint Nanoseconds;
        public int Reserved;
    }

    /// <summary>Linux <c>struct statx</c> (256 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    internal struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        public ushort Spare0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTimestamp AccessTime;
        public StatxTimestamp BirthTime;
        public StatxTimestamp ChangeTime;
        public StatxTimestamp ModifyTime;
    }
}

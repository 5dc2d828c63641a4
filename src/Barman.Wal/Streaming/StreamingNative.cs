using System.Runtime.InteropServices;

namespace Barman.Wal.Streaming;

/// <summary>libc calls receive-wal needs beyond Platform/NativeMethods: read(2) and the signal numbers.</summary>
internal static partial class StreamingNative
{
    internal const int SIGINT = 2;
    internal const int SIGKILL = 9;
    internal const int SIGTERM = 15;
    internal const int ESRCH = 3;

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint read(int fd, byte* buffer, nint count);
}

namespace Barman.Wal.Streaming;

/// <summary>libc calls receive-wal needs beyond Platform/NativeMethods: the signal numbers.</summary>
internal static class StreamingNative
{
    internal const int SIGINT = 2;
    internal const int SIGKILL = 9;
    internal const int SIGTERM = 15;
    internal const int ESRCH = 3;
}

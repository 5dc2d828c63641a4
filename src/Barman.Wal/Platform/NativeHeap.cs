using System.Runtime.InteropServices;

namespace Barman.Wal.Platform;

/// <summary>
/// Gives the C heap's free memory back to the system (glibc's <c>malloc_trim</c>); a no-op where the C
/// library has no such call.
/// </summary>
/// <remarks>
/// The runtime's background JIT and the native codecs allocate from per-thread malloc arenas; what they
/// free stays in the process as free chunks, so without a trim the resident size crept up by a few MiB
/// over a long archiving run although nothing was in use.
/// </remarks>
internal static partial class NativeHeap
{
    private static bool s_unavailable;

    /// <summary>Releases free C-heap pages of every arena.</summary>
    internal static void Trim()
    {
        if (s_unavailable)
            return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}

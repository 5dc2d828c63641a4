using System.Collections.Concurrent;

namespace Barman.Wal.Compression;

/// <summary>
/// Idle libdeflate compressors, kept per level for the next file instead of freed.
/// </summary>
/// <remarks>
/// A level-6 compressor is several hundred KiB of native memory. Allocated and freed once per file on
/// whichever thread-pool thread runs the stage, each would land in that thread's malloc arena and stay
/// there, so native memory grew with the number of threads; reused, it stays at the files in flight.
/// A compressor is used by one stream at a time and keeps no state between calls.
/// </remarks>
internal static class DeflateCompressorPool
{
    /// <summary>The most idle compressors kept per level.</summary>
    private const int MaxIdlePerLevel = 4;

    private static readonly ConcurrentDictionary<int, ConcurrentStack<nint>> Idle = new();

    /// <summary>A compressor for <paramref name="level"/>, or 0 when libdeflate cannot allocate one.</summary>
    internal static nint Rent(int level) =>
        Idle.TryGetValue(level, out var stack) && stack.TryPop(out var compressor)
            ? compressor
            : LibDeflate.AllocCompressor(level);

    /// <summary>Gives a compressor of <paramref name="level"/> back (freed when enough are idle).</summary>
    internal static void Return(int level, nint compressor)
    {
        if (compressor == 0)
            return;
        var stack = Idle.GetOrAdd(level, static _ => new ConcurrentStack<nint>());
        if (stack.Count < MaxIdlePerLevel)
            stack.Push(compressor);
        else
            LibDeflate.FreeCompressor(compressor);
    }
}

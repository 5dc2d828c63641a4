using Barman.Wal.Platform;

namespace Barman.Wal.Archiving;

/// <summary>
/// Keeps the memory of a long archiving run flat: after each file, a first-generation collection once
/// <see cref="Budget"/> bytes were allocated since the previous one, and a trim of the C heap.
/// </summary>
/// <remarks>
/// The runtime sizes its first-generation budget from the CPU cache: on a server with a 105 MiB L3
/// cache, no collection at all happened in a 64-segment run, so every byte allocated (about 135 KiB per
/// file with pigz) stayed resident until the end and peak RSS grew with the queue. That budget can only
/// be set through an environment variable, not from the tool's runtime configuration, hence this
/// explicit and cheap (well under a millisecond) collection of the short-lived per-file objects. The
/// trim (<see cref="NativeHeap"/>) does the same for what the JIT and the codecs freed in C-heap arenas.
/// </remarks>
internal static class MemoryBudget
{
    /// <summary>Bytes allocated between two collections at most (plus one file's worth): each collection moves the
    /// allocator to a fresh region, so a small budget keeps the touched first-generation memory small.</summary>
    internal const long Budget = 1 << 20;

    private static long s_lastCollection;

    /// <summary>Called when a file is done.</summary>
    internal static void AfterFile()
    {
        Tick();
        NativeHeap.Trim();
    }

    /// <summary>
    /// The collection part of <see cref="AfterFile"/> alone: cheap enough to call once per item of a long loop
    /// (purge-wal's listing and deletions), so a large archive does not grow the heap to the cache-sized budget.
    /// </summary>
    internal static void Tick()
    {
        var allocated = GC.GetTotalAllocatedBytes();
        if (allocated - Interlocked.Read(ref s_lastCollection) >= Budget)
        {
            Interlocked.Exchange(ref s_lastCollection, allocated);
            GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
    }
}

using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>
/// The allocator given to the native codecs that accept one (liblzma's <c>lzma_allocator</c>, libbz2's
/// <c>bzalloc</c>/<c>bzfree</c>): blocks of <see cref="MapThreshold"/> bytes or more (an xz encoder's
/// dictionary and match finder, a bzip2 block sorter) are private anonymous mappings, unmapped when the
/// stream ends, so their memory goes back to the system when a file is done.
/// </summary>
/// <remarks>
/// With plain <c>malloc</c>, glibc raises its mmap threshold after the first large free, so the next
/// encoders come from the heap of whichever thread runs them and their freed memory stays in the process:
/// peak RSS grew with the number of files and threads. Smaller blocks still use the C heap. Each block
/// carries a 16-byte header with its mapping length (0 for a heap block), so the result stays 16-byte
/// aligned like <c>malloc</c>'s.
/// </remarks>
internal static unsafe partial class MappedNativeAllocator
{
    /// <summary>Blocks of at least this size are mapped.</summary>
    internal const nuint MapThreshold = 128 * 1024;

    private const nuint Header = 16;
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    private static readonly nint LzmaAllocatorPointer = CreateLzmaAllocator();

    /// <summary>The <c>lzma_allocator</c> (lives for the process).</summary>
    internal static LibLzma.LzmaAllocator* Lzma => (LibLzma.LzmaAllocator*)LzmaAllocatorPointer;

    /// <summary>Sets a <c>bz_stream</c>'s allocator before <c>BZ2_bz*Init</c>.</summary>
    internal static void InstallInto(LibBz2.BzStream* stream)
    {
        stream->BzAlloc = (void*)(delegate* unmanaged<void*, int, int, void*>)&BzAlloc;
        stream->BzFree = (void*)(delegate* unmanaged<void*, void*, void>)&BzFree;
        stream->Opaque = null;
    }

    /// <summary>A block of <paramref name="count"/> × <paramref name="size"/> bytes, or null.</summary>
    internal static void* Allocate(nuint count, nuint size)
    {
        if (size != 0 && count > (nuint.MaxValue - Header) / size)
            return null;
        var bytes = (count * size) + Header;
        byte* block;
        nuint mapped;
        if (bytes >= MapThreshold)
        {
            mapped = (bytes + 4095) & ~(nuint)4095;
            block = (byte*)Mmap(null, mapped, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (block == (byte*)-1)
                return null;
        }
        else
        {
            mapped = 0;
            block = (byte*)NativeMemory.Alloc(bytes);
            if (block is null)
                return null;
        }

        *(nuint*)block = mapped;
        return block + Header;
    }

    /// <summary>Releases a block from <see cref="Allocate"/> (null is ignored).</summary>
    internal static void Release(void* pointer)
    {
        if (pointer is null)
            return;
        var block = (byte*)pointer - Header;
        var mapped = *(nuint*)block;
        if (mapped == 0)
            NativeMemory.Free(block);
        else
            _ = Munmap(block, mapped);
    }

    private static nint CreateLzmaAllocator()
    {
        var allocator = (LibLzma.LzmaAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(LibLzma.LzmaAllocator));
        allocator->Alloc = &LzmaAlloc;
        allocator->Free = &LzmaFree;
        return (nint)allocator;
    }

    [UnmanagedCallersOnly]
    private static void* LzmaAlloc(void* opaque, nuint count, nuint size) => Allocate(count, size);

    [UnmanagedCallersOnly]
    private static void LzmaFree(void* opaque, void* pointer) => Release(pointer);

    [UnmanagedCallersOnly]
    private static void* BzAlloc(void* opaque, int count, int size) =>
        count < 0 || size < 0 ? null : Allocate((nuint)count, (nuint)size);

    [UnmanagedCallersOnly]
    private static void BzFree(void* opaque, void* pointer) => Release(pointer);

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}

using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>
/// The <c>lzma_allocator</c> given to every liblzma stream: blocks of <see cref="MapThreshold"/> bytes or
/// more (the encoder's dictionary and match finder, ≈ 32 MiB at preset 3) are private anonymous mappings,
/// unmapped by <c>lzma_end</c>, so their memory goes back to the system when a file is done.
/// </summary>
/// <remarks>
/// With plain <c>malloc</c>, glibc raises its mmap threshold after the first large free, so the next
/// encoders come from the heap and their freed memory stays in the process: peak RSS grew with the number
/// of files. Smaller blocks still use the C heap. Each block carries a 16-byte header with its mapping
/// length (0 for a heap block), so the result stays 16-byte aligned like <c>malloc</c>'s.
/// </remarks>
internal static unsafe partial class XzAllocator
{
    /// <summary>Blocks of at least this size are mapped.</summary>
    internal const nuint MapThreshold = 128 * 1024;

    private const nuint Header = 16;
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    private static readonly nint AllocatorPointer = Create();

    /// <summary>The allocator (lives for the process).</summary>
    internal static LibLzma.LzmaAllocator* Instance => (LibLzma.LzmaAllocator*)AllocatorPointer;

    private static nint Create()
    {
        var allocator = (LibLzma.LzmaAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(LibLzma.LzmaAllocator));
        allocator->Alloc = &Alloc;
        allocator->Free = &Free;
        return (nint)allocator;
    }

    [UnmanagedCallersOnly]
    private static void* Alloc(void* opaque, nuint count, nuint size)
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

    [UnmanagedCallersOnly]
    private static void Free(void* opaque, void* pointer)
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

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}

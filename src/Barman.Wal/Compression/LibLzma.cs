using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>
/// The few liblzma (xz-utils, <c>liblzma.so.5</c>) entry points barman-wal uses: the "easy"
/// encoder, the .xz stream decoder, <c>lzma_code</c> and <c>lzma_end</c>.
/// </summary>
/// <remarks>
/// No xz writer is available as a managed package here, so writing .xz goes through the system
/// library (present wherever dpkg is: it depends on liblzma5). Its output at a given preset is
/// byte-identical to Python's <c>lzma</c> module, which Barman uses.
/// </remarks>
internal static unsafe partial class LibLzma
{
    private const string Library = "liblzma.so.5";

    internal const uint CheckCrc64 = 4;
    internal const uint Concatenated = 0x08;
    internal const int ActionRun = 0;
    internal const int ActionFinish = 3;

    internal const int Ok = 0;
    internal const int StreamEnd = 1;
    internal const int MemError = 5;
    internal const int FormatError = 7;
    internal const int OptionsError = 8;
    internal const int DataError = 9;
    internal const int BufError = 10;

    private static readonly Lazy<string?> LoadError = new(() =>
    {
        try
        {
            return NativeLibrary.TryLoad(Library, typeof(LibLzma).Assembly, null, out _)
                ? null
                : $"{Library} cannot be loaded (install liblzma5)";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return $"{Library} cannot be loaded (install liblzma5): {e.Message}";
        }
    });

    /// <summary>Null when the library loads, else why not.</summary>
    internal static string? UnavailableReason => LoadError.Value;

    /// <summary>C's <c>lzma_stream</c>; all-zero is <c>LZMA_STREAM_INIT</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public void* Allocator;
        public void* Internal;
        public void* ReservedPtr1;
        public void* ReservedPtr2;
        public void* ReservedPtr3;
        public void* ReservedPtr4;
        public ulong ReservedInt1;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    /// <summary>C's <c>lzma_allocator</c> (see <see cref="XzAllocator"/>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LzmaAllocator
    {
        public delegate* unmanaged<void*, nuint, nuint, void*> Alloc;
        public delegate* unmanaged<void*, void*, void> Free;
        public void* Opaque;
    }

    [LibraryImport(Library, EntryPoint = "lzma_easy_encoder")]
    internal static partial int EasyEncoder(LzmaStream* stream, uint preset, uint check);

    [LibraryImport(Library, EntryPoint = "lzma_stream_decoder")]
    internal static partial int StreamDecoder(LzmaStream* stream, ulong memlimit, uint flags);

    [LibraryImport(Library, EntryPoint = "lzma_code")]
    internal static partial int Code(LzmaStream* stream, int action);

    [LibraryImport(Library, EntryPoint = "lzma_end")]
    internal static partial void End(LzmaStream* stream);

    internal static string Describe(int ret) => ret switch
    {
        MemError => "out of memory",
        FormatError => "not in .xz format",
        OptionsError => "unsupported options",
        DataError => "corrupt data (integrity check failed)",
        BufError => "unexpected end of input (truncated file)",
        _ => $"liblzma error {ret}",
    };
}

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

    /// <summary>C's <c>lzma_allocator</c> (see <see cref="MappedNativeAllocator"/>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LzmaAllocator
    {
        public delegate* unmanaged<void*, nuint, nuint, void*> Alloc;
        public delegate* unmanaged<void*, void*, void> Free;
        public void* Opaque;
    }

    /// <summary><c>LZMA_FILTER_LZMA2</c>, the filter id of .xz's compressor.</summary>
    internal const ulong FilterLzma2 = 0x21;

    /// <summary><c>LZMA_VLI_UNKNOWN</c>: ends a filter chain.</summary>
    internal const ulong VliUnknown = ulong.MaxValue;

    /// <summary>
    /// Room for C's <c>lzma_options_lzma</c> (112 bytes in liblzma 5.x): only its first field,
    /// <c>uint32_t dict_size</c>, is read or written here; the rest is filled by <see cref="LzmaPreset"/>.
    /// </summary>
    internal const int LzmaOptionsSize = 256;

    /// <summary>C's <c>lzma_filter</c>: a filter id and its options.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LzmaFilter
    {
        public ulong Id;
        public void* Options;
    }

    /// <summary>Fills an <c>lzma_options_lzma</c> with a preset's settings; returns non-zero on a bad preset.</summary>
    [LibraryImport(Library, EntryPoint = "lzma_lzma_preset")]
    internal static partial byte LzmaPreset(void* options, uint preset);

    /// <summary>An .xz encoder over a filter chain ended by <see cref="VliUnknown"/>.</summary>
    [LibraryImport(Library, EntryPoint = "lzma_stream_encoder")]
    internal static partial int StreamEncoder(LzmaStream* stream, LzmaFilter* filters, uint check);

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

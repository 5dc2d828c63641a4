using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>
/// The libbz2 (<c>libbz2.so.1.0</c>, Debian <c>libbz2-1.0</c>) streaming entry points: the
/// compressor at a block size (Barman's level) and the decompressor.
/// </summary>
/// <remarks>
/// The library Python's bz2 module (so Barman) links, hence the same bytes at the same level, at the
/// <c>bzip2</c> command's speed. When it cannot be loaded <see cref="Bzip2Codec"/> uses SharpCompress.
/// </remarks>
internal static unsafe partial class LibBz2
{
    private const string Library = "libbz2.so.1.0";

    internal const int Run = 0;
    internal const int Finish = 2;

    internal const int Ok = 0;
    internal const int RunOk = 1;
    internal const int FinishOk = 3;
    internal const int StreamEnd = 4;
    internal const int ParamError = -2;
    internal const int MemError = -3;
    internal const int DataError = -4;
    internal const int DataErrorMagic = -5;
    internal const int UnexpectedEof = -7;
    internal const int ConfigError = -9;

    private static readonly Lazy<string?> LoadError = new(() =>
    {
        try
        {
            return NativeLibrary.TryLoad(Library, typeof(LibBz2).Assembly, null, out _)
                ? null
                : $"{Library} cannot be loaded (install libbz2-1.0)";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return $"{Library} cannot be loaded (install libbz2-1.0): {e.Message}";
        }
    });

    /// <summary>Null when the library loads, else why not.</summary>
    internal static string? UnavailableReason => LoadError.Value;

    /// <summary>C's <c>bz_stream</c>; null allocator fields mean malloc (see <see cref="MappedNativeAllocator.InstallInto"/>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BzStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public uint TotalInLo32;
        public uint TotalInHi32;
        public byte* NextOut;
        public uint AvailOut;
        public uint TotalOutLo32;
        public uint TotalOutHi32;
        public void* State;
        public void* BzAlloc;
        public void* BzFree;
        public void* Opaque;
    }

    [LibraryImport(Library, EntryPoint = "BZ2_bzCompressInit")]
    internal static partial int CompressInit(BzStream* stream, int blockSize100k, int verbosity, int workFactor);

    [LibraryImport(Library, EntryPoint = "BZ2_bzCompress")]
    internal static partial int Compress(BzStream* stream, int action);

    [LibraryImport(Library, EntryPoint = "BZ2_bzCompressEnd")]
    internal static partial int CompressEnd(BzStream* stream);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressInit")]
    internal static partial int DecompressInit(BzStream* stream, int verbosity, int small);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompress")]
    internal static partial int Decompress(BzStream* stream);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressEnd")]
    internal static partial int DecompressEnd(BzStream* stream);

    internal static string Describe(int ret) => ret switch
    {
        ParamError => "invalid parameters",
        MemError => "out of memory",
        DataError => "corrupt data (integrity check failed)",
        DataErrorMagic => "not in bzip2 format",
        UnexpectedEof => "unexpected end of input (truncated file)",
        ConfigError => "libbz2 was built for another platform",
        _ => $"libbz2 error {ret}",
    };
}

using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>
/// The libdeflate (<c>libdeflate.so.0</c>, Debian <c>libdeflate0</c>) entry points barman-wal uses to
/// write gzip: a whole-buffer compressor, one gzip member per call.
/// </summary>
/// <remarks>
/// libdeflate has no streaming API, so <see cref="GzipDeflateStream"/> compresses fixed-size chunks,
/// each as its own gzip member. At level 6 it needs less than half of zlib's CPU time (Python's gzip,
/// so Barman) and no more than zlib-ng's (.NET's GZipStream). When the library cannot be loaded, <see cref="GzipCodec"/> writes with
/// .NET's GZipStream instead.
/// </remarks>
internal static unsafe partial class LibDeflate
{
    private const string Library = "libdeflate.so.0";

    private static readonly Lazy<string?> LoadError = new(() =>
    {
        try
        {
            return NativeLibrary.TryLoad(Library, typeof(LibDeflate).Assembly, null, out _)
                ? null
                : $"{Library} cannot be loaded (install libdeflate0)";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return $"{Library} cannot be loaded (install libdeflate0): {e.Message}";
        }
    });

    /// <summary>Null when the library loads, else why not.</summary>
    internal static string? UnavailableReason => LoadError.Value;

    /// <summary>Allocates a compressor for a level (0..12); null on out-of-memory or a bad level.</summary>
    [LibraryImport(Library, EntryPoint = "libdeflate_alloc_compressor")]
    internal static partial nint AllocCompressor(int level);

    /// <summary>Writes one complete gzip member; returns its size, or 0 when it does not fit in the output.</summary>
    [LibraryImport(Library, EntryPoint = "libdeflate_gzip_compress")]
    internal static partial nuint GzipCompress(nint compressor, byte* input, nuint inputLength, byte* output, nuint outputAvailable);

    /// <summary>The worst-case size of the gzip member for <paramref name="inputLength"/> bytes.</summary>
    [LibraryImport(Library, EntryPoint = "libdeflate_gzip_compress_bound")]
    internal static partial nuint GzipCompressBound(nint compressor, nuint inputLength);

    [LibraryImport(Library, EntryPoint = "libdeflate_free_compressor")]
    internal static partial void FreeCompressor(nint compressor);
}

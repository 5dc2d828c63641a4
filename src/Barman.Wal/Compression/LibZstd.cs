using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>
/// The few libzstd (<c>libzstd.so.1</c>, Debian libzstd1) entry points barman-wal uses: the
/// streaming compression context (<c>ZSTD_compressStream2</c>) and the streaming decompressor.
/// </summary>
/// <remarks>
/// The native library is several times faster than the managed port and allocates its windows
/// outside the GC heap; <see cref="ZstdCodec"/> falls back to ZstdSharp when it cannot be loaded.
/// </remarks>
internal static unsafe partial class LibZstd
{
    private const string Library = "libzstd.so.1";

    internal const int CompressionLevel = 100;
    internal const int ContentSizeFlag = 200;
    internal const int ChecksumFlag = 201;
    internal const int DictIdFlag = 202;
    internal const int NbWorkers = 400;

    internal const int ResetSessionAndParameters = 3;

    internal const int EndContinue = 0;
    internal const int EndFrame = 2;

    private static readonly Lazy<string?> LoadError = new(() =>
    {
        try
        {
            if (!NativeLibrary.TryLoad(Library, typeof(LibZstd).Assembly, null, out _))
            {
                return $"{Library} cannot be loaded (install libzstd1)";
            }

            // Streaming compression with ZSTD_compressStream2 needs libzstd 1.4.0 or later.
            var version = VersionNumber();
            return version >= 10400 ? null : $"{Library} is version {version}, 1.4.0 or later is needed";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            return $"{Library} cannot be loaded (install libzstd1): {e.Message}";
        }
    });

    /// <summary>Null when the library loads, else why not.</summary>
    internal static string? UnavailableReason => LoadError.Value;

    /// <summary>C's <c>ZSTD_inBuffer</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    /// <summary>C's <c>ZSTD_outBuffer</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Library, EntryPoint = "ZSTD_versionNumber")]
    internal static partial uint VersionNumber();

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    internal static partial nint CreateCCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    internal static partial nuint FreeCCtx(nint cctx);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_setParameter")]
    internal static partial nuint SetParameter(nint cctx, int parameter, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressStream2")]
    internal static partial nuint CompressStream2(nint cctx, OutBuffer* output, InBuffer* input, int endOp);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_reset")]
    internal static partial nuint ResetCCtx(nint cctx, int directive);

    [LibraryImport(Library, EntryPoint = "ZSTD_DCtx_reset")]
    internal static partial nuint ResetDCtx(nint dctx, int directive);

    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    internal static partial nint CreateDCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    internal static partial nuint FreeDCtx(nint dctx);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    internal static partial nuint DecompressStream(nint dctx, OutBuffer* output, InBuffer* input);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    internal static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    private static partial byte* GetErrorName(nuint code);

    internal static string Describe(nuint code) =>
        Marshal.PtrToStringUTF8((nint)GetErrorName(code)) ?? $"libzstd error {code}";
}

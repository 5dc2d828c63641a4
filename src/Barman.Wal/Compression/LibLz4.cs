using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>
/// The LZ4 frame API of the system liblz4 (<c>liblz4.so.1</c>, Debian liblz4-1) that barman-wal
/// uses: frame compression (begin / update / end) and frame decompression.
/// </summary>
/// <remarks>
/// python-lz4, which Barman uses, is this very library, so with the same preferences the frames
/// are Barman's; <see cref="Lz4Codec"/> falls back to K4os when the library cannot be loaded.
/// </remarks>
internal static unsafe partial class LibLz4
{
    private const string Library = "liblz4.so.1";

    internal const uint Version = 100;
    internal const int BlockSizeMax64Kb = 4;
    internal const int BlockLinked = 0;

    private static readonly Lazy<string?> LoadError = new(() =>
    {
        try
        {
            if (!NativeLibrary.TryLoad(Library, typeof(LibLz4).Assembly, null, out _))
            {
                return $"{Library} cannot be loaded (install liblz4-1)";
            }

            // The frame API with the preferences layout below is stable since liblz4 1.8.0.
            var version = VersionNumber();
            return version >= 10800 ? null : $"{Library} is version {version}, 1.8.0 or later is needed";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            return $"{Library} cannot be loaded (install liblz4-1): {e.Message}";
        }
    });

    /// <summary>Null when the library loads, else why not.</summary>
    internal static string? UnavailableReason => LoadError.Value;

    /// <summary>C's <c>LZ4F_preferences_t</c> (with its <c>LZ4F_frameInfo_t</c> inlined); all-zero is the default.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Preferences
    {
        public int BlockSizeId;
        public int BlockMode;
        public int ContentChecksumFlag;
        public int FrameType;
        public ulong ContentSize;
        public uint DictId;
        public int BlockChecksumFlag;
        public int CompressionLevel;
        public uint AutoFlush;
        public uint FavorDecSpeed;
        public uint Reserved0;
        public uint Reserved1;
        public uint Reserved2;
    }

    [LibraryImport(Library, EntryPoint = "LZ4_versionNumber")]
    internal static partial int VersionNumber();

    [LibraryImport(Library, EntryPoint = "LZ4F_createCompressionContext")]
    internal static partial nuint CreateCompressionContext(nint* context, uint version);

    [LibraryImport(Library, EntryPoint = "LZ4F_freeCompressionContext")]
    internal static partial nuint FreeCompressionContext(nint context);

    [LibraryImport(Library, EntryPoint = "LZ4F_compressBound")]
    internal static partial nuint CompressBound(nuint sourceSize, Preferences* preferences);

    [LibraryImport(Library, EntryPoint = "LZ4F_compressBegin")]
    internal static partial nuint CompressBegin(nint context, byte* destination, nuint capacity, Preferences* preferences);

    [LibraryImport(Library, EntryPoint = "LZ4F_compressUpdate")]
    internal static partial nuint CompressUpdate(nint context, byte* destination, nuint capacity, byte* source, nuint sourceSize, void* options);

    [LibraryImport(Library, EntryPoint = "LZ4F_compressEnd")]
    internal static partial nuint CompressEnd(nint context, byte* destination, nuint capacity, void* options);

    [LibraryImport(Library, EntryPoint = "LZ4F_createDecompressionContext")]
    internal static partial nuint CreateDecompressionContext(nint* context, uint version);

    [LibraryImport(Library, EntryPoint = "LZ4F_freeDecompressionContext")]
    internal static partial nuint FreeDecompressionContext(nint context);

    [LibraryImport(Library, EntryPoint = "LZ4F_decompress")]
    internal static partial nuint Decompress(nint context, byte* destination, nuint* destinationSize, byte* source, nuint* sourceSize, void* options);

    [LibraryImport(Library, EntryPoint = "LZ4F_isError")]
    internal static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "LZ4F_getErrorName")]
    private static partial byte* GetErrorName(nuint code);

    internal static string Describe(nuint code) =>
        Marshal.PtrToStringUTF8((nint)GetErrorName(code)) ?? $"liblz4 error {code}";
}

using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>The zlib (<c>libz.so.1</c>) inflate entry points used to read gzip files.</summary>
/// <remarks>
/// .NET's <see cref="System.IO.Compression.GZipStream"/> silently returns a short result for a
/// truncated gzip file; zlib's own inflate reports it, checks every member's CRC-32 and size, and
/// reads multi-member files like <c>gzip -d</c>. When zlib cannot be loaded the reader falls back
/// to GZipStream plus a trailer check (see <see cref="GzipCodec"/>).
/// </remarks>
internal static unsafe partial class LibZ
{
    private const string Library = "libz.so.1";

    internal const int Ok = 0;
    internal const int StreamEnd = 1;
    internal const int NeedDict = 2;
    internal const int DataError = -3;
    internal const int MemError = -4;
    internal const int BufError = -5;
    internal const int NoFlush = 0;
    internal const int GzipWindowBits = 16 + 15;

    private static readonly Lazy<bool> Loadable = new(() =>
    {
        try
        {
            return NativeLibrary.TryLoad(Library, typeof(LibZ).Assembly, null, out _);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    internal static bool IsAvailable => Loadable.Value;

    /// <summary>C's <c>z_stream</c> (<c>uLong</c> is <see cref="CULong"/>: 8 bytes on Linux, 4 on Windows).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public CULong TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public CULong TotalOut;
        public byte* Msg;
        public void* State;
        public void* ZAlloc;
        public void* ZFree;
        public void* Opaque;
        public int DataType;
        public CULong Adler;
        public CULong Reserved;
    }

    [LibraryImport(Library, EntryPoint = "inflateInit2_", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int InflateInit2(ZStream* stream, int windowBits, string version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    internal static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    internal static partial int InflateReset(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    internal static partial int InflateEnd(ZStream* stream);

    internal static string Describe(int ret, ZStream* stream)
    {
        var msg = stream is not null && stream->Msg is not null ? Marshal.PtrToStringUTF8((nint)stream->Msg) : null;
        return ret switch
        {
            DataError => $"corrupt data ({msg ?? "invalid deflate data"})",
            MemError => "out of memory",
            BufError => "unexpected end of input (truncated file)",
            NeedDict => "a preset dictionary is required",
            _ => msg ?? $"zlib error {ret}",
        };
    }
}

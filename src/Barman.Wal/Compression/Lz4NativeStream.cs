namespace Barman.Wal.Compression;

/// <summary>An LZ4 frame compressor or decompressor stage over <see cref="LibLz4"/>.</summary>
internal sealed unsafe class Lz4NativeStream : NativeFilterStream
{
    /// <summary>Input handed to one <c>LZ4F_compressUpdate</c> call (one 64 KiB block).</summary>
    private const int ChunkSize = 64 * 1024;

    private readonly bool _compress;
    private LibLz4.Preferences _preferences;
    private nint _context;
    private bool _begun;
    private bool _consumedAny;

    private Lz4NativeStream(Stream inner, bool leaveOpen, bool compress, string codecName, nint context)
        : base(inner, leaveOpen, compress, codecName)
    {
        _compress = compress;
        _context = context;
    }

    /// <summary>
    /// One frame with Barman's header: 64 KiB linked blocks, no block or content checksum, no
    /// content size; <paramref name="level"/> as python-lz4 passes it (0–2 fast, 3+ HC).
    /// </summary>
    internal static Lz4NativeStream CreateEncoder(Stream destination, bool leaveOpen, string codecName, int level)
    {
        nint context;
        Check(LibLz4.CreateCompressionContext(&context, LibLz4.Version), codecName, "compression");
        var result = new Lz4NativeStream(destination, leaveOpen, compress: true, codecName, context)
        {
            _preferences = new LibLz4.Preferences
            {
                BlockSizeId = LibLz4.BlockSizeMax64Kb,
                BlockMode = LibLz4.BlockLinked,
                CompressionLevel = level,
            },
        };
        var preferences = result._preferences;
        if (LibLz4.CompressBound(ChunkSize, &preferences) > WalCodec.BufferSize)
        {
            result.ReleaseNative();
            throw new CompressionException($"{codecName}: liblz4's output bound exceeds the stage buffer");
        }

        return result;
    }

    internal static Lz4NativeStream CreateDecoder(Stream source, bool leaveOpen, string codecName)
    {
        nint context;
        Check(LibLz4.CreateDecompressionContext(&context, LibLz4.Version), codecName, "decompression");
        return new Lz4NativeStream(source, leaveOpen, compress: false, codecName, context);
    }

    private static nuint Check(nuint ret, string codecName, string what) =>
        LibLz4.IsError(ret) != 0
            ? throw (what == "decompression" ? CompressionException.CorruptInput($"{codecName} {what} failed: {LibLz4.Describe(ret)}") : new CompressionException($"{codecName} {what} failed: {LibLz4.Describe(ret)}"))
            : ret;

    protected override bool Step(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_context == 0, this);
        return _compress
            ? Compress(input, output, finish, out consumed, out produced)
            : Decompress(input, output, finish, out consumed, out produced);
    }

    private bool Compress(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        consumed = 0;
        fixed (byte* outPtr = output)
        {
            if (!_begun)
            {
                var preferences = _preferences;
                produced = (int)Check(LibLz4.CompressBegin(_context, outPtr, (nuint)output.Length, &preferences), CodecName, "compression");
                _begun = true;
                return false;
            }

            if (finish)
            {
                produced = (int)Check(LibLz4.CompressEnd(_context, outPtr, (nuint)output.Length, null), CodecName, "compression");
                return true;
            }

            var chunk = input[..Math.Min(input.Length, ChunkSize)];
            fixed (byte* inPtr = chunk)
            {
                produced = (int)Check(LibLz4.CompressUpdate(_context, outPtr, (nuint)output.Length, inPtr, (nuint)chunk.Length, null), CodecName, "compression");
            }

            consumed = chunk.Length;
            return false;
        }
    }

    private bool Decompress(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        if (finish && input.IsEmpty && !_consumedAny)
        {
            // An empty source holds no frame: read it as empty, as the managed reader does.
            consumed = produced = 0;
            return true;
        }

        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            var sourceSize = (nuint)input.Length;
            var destinationSize = (nuint)output.Length;
            var ret = Check(LibLz4.Decompress(_context, outPtr, &destinationSize, inPtr, &sourceSize, null), CodecName, "decompression");
            consumed = (int)sourceSize;
            produced = (int)destinationSize;
            _consumedAny |= consumed > 0;

            // 0: a frame was fully decoded and flushed (the context is ready for a next one).
            return ret == 0;
        }
    }

    /// <summary>liblz4 starts on the next frame by itself (concatenated frames, as <c>lz4 -d</c> reads them).</summary>
    protected override bool TryContinueAfterEnd(ReadOnlySpan<byte> remaining) => true;

    protected override void ReleaseNative()
    {
        var context = _context;
        if (context != 0)
        {
            _context = 0;
            if (_compress)
            {
                LibLz4.FreeCompressionContext(context);
            }
            else
            {
                LibLz4.FreeDecompressionContext(context);
            }
        }
    }

    ~Lz4NativeStream()
    {
        ReleaseNative();
    }
}

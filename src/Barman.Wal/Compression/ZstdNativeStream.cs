using System.Collections.Concurrent;

namespace Barman.Wal.Compression;

/// <summary>A zstd compressor or decompressor stage over <see cref="LibZstd"/>.</summary>
/// <remarks>
/// Contexts are reset and kept for the next file (a few, about one per parallel archiver): a
/// fresh context per WAL file would allocate its windows and tables again each time, which
/// fragments the C heap and makes the process's resident size creep up over a long run.
/// </remarks>
internal sealed unsafe class ZstdNativeStream : NativeFilterStream
{
    private static readonly int MaxIdle = Math.Clamp(Environment.ProcessorCount, 2, 4);
    private static readonly ConcurrentQueue<nint> IdleCompressors = new();
    private static readonly ConcurrentQueue<nint> IdleDecompressors = new();

    private readonly bool _compress;
    private nint _context;
    private bool _consumedAny;
    private bool _finalizing;

    private ZstdNativeStream(Stream inner, bool leaveOpen, bool compress, string codecName, nint context)
        : base(inner, leaveOpen, compress, codecName)
    {
        _compress = compress;
        _context = context;
    }

    /// <summary>
    /// One frame like python-zstandard's stream writer: no checksum, no dictionary id, content size
    /// only when known up front (empty input); <paramref name="workers"/> &gt; 1 compresses on that
    /// many library threads (still one standard frame).
    /// </summary>
    internal static ZstdNativeStream CreateEncoder(Stream destination, bool leaveOpen, string codecName, int level, int workers)
    {
        var context = IdleCompressors.TryDequeue(out var idle) ? idle : LibZstd.CreateCCtx();
        if (context == 0)
        {
            throw new CompressionException($"{codecName}: libzstd could not create a compression context");
        }

        var result = new ZstdNativeStream(destination, leaveOpen, compress: true, codecName, context);
        result.Set(LibZstd.CompressionLevel, level);
        result.Set(LibZstd.ChecksumFlag, 0);
        result.Set(LibZstd.ContentSizeFlag, 1);
        result.Set(LibZstd.DictIdFlag, 0);
        if (workers > 1 && LibZstd.IsError(LibZstd.SetParameter(context, LibZstd.NbWorkers, workers)) != 0)
        {
            // Library built without multithreading: compress on the calling thread.
        }

        return result;
    }

    internal static ZstdNativeStream CreateDecoder(Stream source, bool leaveOpen, string codecName)
    {
        var context = IdleDecompressors.TryDequeue(out var idle) ? idle : LibZstd.CreateDCtx();
        if (context == 0)
        {
            throw new CompressionException($"{codecName}: libzstd could not create a decompression context");
        }

        return new ZstdNativeStream(source, leaveOpen, compress: false, codecName, context);
    }

    private void Set(int parameter, int value)
    {
        var ret = LibZstd.SetParameter(_context, parameter, value);
        if (LibZstd.IsError(ret) != 0)
        {
            var reason = LibZstd.Describe(ret);
            ReleaseNative();
            throw new CompressionException($"{CodecName}: libzstd rejected parameter {parameter}={value}: {reason}");
        }
    }

    protected override bool Step(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_context == 0, this);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            var inBuffer = new LibZstd.InBuffer { Src = inPtr, Size = (nuint)input.Length };
            var outBuffer = new LibZstd.OutBuffer { Dst = outPtr, Size = (nuint)output.Length };
            if (!_compress && finish && input.IsEmpty && !_consumedAny)
            {
                // An empty source holds no frame: read it as empty, as the managed reader does.
                consumed = produced = 0;
                return true;
            }

            var ret = _compress
                ? LibZstd.CompressStream2(_context, &outBuffer, &inBuffer, finish ? LibZstd.EndFrame : LibZstd.EndContinue)
                : LibZstd.DecompressStream(_context, &outBuffer, &inBuffer);
            consumed = (int)inBuffer.Pos;
            produced = (int)outBuffer.Pos;
            _consumedAny |= consumed > 0;
            if (LibZstd.IsError(ret) != 0)
            {
                var what = _compress ? "compression" : "decompression";
                var message = $"{CodecName} {what} failed: {LibZstd.Describe(ret)}";
                throw _compress ? new CompressionException(message) : CompressionException.CorruptInput(message);
            }

            // Compressing: 0 = the frame is complete (only asked for at the end). Decompressing:
            // 0 = a frame was fully decoded and flushed; a next frame may follow.
            return ret == 0 && (finish || !_compress);
        }
    }

    /// <summary>libzstd starts on the next frame by itself (concatenated frames, as <c>zstd -d</c> reads them).</summary>
    protected override bool TryContinueAfterEnd(ReadOnlySpan<byte> remaining) => true;

    protected override void ReleaseNative()
    {
        var context = _context;
        if (context != 0)
        {
            _context = 0;
            if (_compress)
            {
                if (_finalizing || !Keep(IdleCompressors, LibZstd.ResetCCtx(context, LibZstd.ResetSessionAndParameters)))
                {
                    LibZstd.FreeCCtx(context);
                }
                else
                {
                    IdleCompressors.Enqueue(context);
                }
            }
            else
            {
                if (_finalizing || !Keep(IdleDecompressors, LibZstd.ResetDCtx(context, LibZstd.ResetSessionAndParameters)))
                {
                    LibZstd.FreeDCtx(context);
                }
                else
                {
                    IdleDecompressors.Enqueue(context);
                }
            }
        }
    }

    /// <summary>True when a context that was reset with <paramref name="resetResult"/> goes back to <paramref name="idle"/>.</summary>
    private static bool Keep(ConcurrentQueue<nint> idle, nuint resetResult) =>
        LibZstd.IsError(resetResult) == 0 && idle.Count < MaxIdle;

    ~ZstdNativeStream()
    {
        _finalizing = true;
        ReleaseNative();
    }
}

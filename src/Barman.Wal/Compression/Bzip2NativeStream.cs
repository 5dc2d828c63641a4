using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>A bzip2 compressor or decompressor stage over <see cref="LibBz2"/>; reads concatenated streams.</summary>
internal sealed unsafe class Bzip2NativeStream : NativeFilterStream
{
    private LibBz2.BzStream* _stream;
    private readonly bool _compress;

    private Bzip2NativeStream(Stream inner, bool leaveOpen, bool compress, string codecName)
        : base(inner, leaveOpen, compress, codecName)
    {
        _compress = compress;
        _stream = (LibBz2.BzStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibBz2.BzStream));
        MappedNativeAllocator.InstallInto(_stream);
    }

    internal static Bzip2NativeStream CreateEncoder(Stream destination, bool leaveOpen, string codecName, int level)
    {
        var result = new Bzip2NativeStream(destination, leaveOpen, compress: true, codecName);
        result.Init(LibBz2.CompressInit(result._stream, level, 0, 0));
        return result;
    }

    internal static Bzip2NativeStream CreateDecoder(Stream source, bool leaveOpen, string codecName)
    {
        var result = new Bzip2NativeStream(source, leaveOpen, compress: false, codecName);
        result.Init(LibBz2.DecompressInit(result._stream, 0, 0));
        return result;
    }

    private void Init(int ret)
    {
        if (ret != LibBz2.Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new CompressionException($"{CodecName}: libbz2 initialisation failed: {LibBz2.Describe(ret)}");
        }
    }

    protected override bool Step(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            _stream->NextIn = inPtr;
            _stream->AvailIn = (uint)input.Length;
            _stream->NextOut = outPtr;
            _stream->AvailOut = (uint)output.Length;
            var ret = _compress
                ? LibBz2.Compress(_stream, finish ? LibBz2.Finish : LibBz2.Run)
                : LibBz2.Decompress(_stream);
            consumed = input.Length - (int)_stream->AvailIn;
            produced = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->NextOut = null;
            switch (ret)
            {
                case LibBz2.Ok or LibBz2.RunOk or LibBz2.FinishOk:
                    return false;
                case LibBz2.StreamEnd:
                    return true;
                default:
                    var what = _compress ? "compression" : "decompression";
                    var message = $"{CodecName} {what} failed: {LibBz2.Describe(ret)}";
                    throw _compress ? new CompressionException(message) : CompressionException.CorruptInput(message);
            }
        }
    }

    protected override bool TryContinueAfterEnd(ReadOnlySpan<byte> remaining)
    {
        if (remaining[0] != (byte)'B')
        {
            return false;
        }

        // A next stream follows (as bzip2 -d reads): restart the decoder, keeping the struct.
        LibBz2.DecompressEnd(_stream);
        *_stream = default;
        var ret = LibBz2.DecompressInit(_stream, 0, 0);
        if (ret != LibBz2.Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new CompressionException($"{CodecName}: libbz2 initialisation failed: {LibBz2.Describe(ret)}");
        }

        return true;
    }

    protected override void ReleaseNative()
    {
        if (_stream is not null)
        {
            if (_compress)
            {
                LibBz2.CompressEnd(_stream);
            }
            else
            {
                LibBz2.DecompressEnd(_stream);
            }

            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    ~Bzip2NativeStream()
    {
        ReleaseNative();
    }
}

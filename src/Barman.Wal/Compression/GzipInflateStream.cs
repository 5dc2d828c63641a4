using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>A gzip reader over zlib's inflate: all members, CRC-32 and size checked, truncation reported.</summary>
internal sealed unsafe class GzipInflateStream : NativeFilterStream
{
    private LibZ.ZStream* _stream;

    internal GzipInflateStream(Stream source, bool leaveOpen, string codecName)
        : base(source, leaveOpen, compress: false, codecName)
    {
        _stream = (LibZ.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibZ.ZStream));
        var ret = LibZ.InflateInit2(_stream, LibZ.GzipWindowBits, "1.2.13", sizeof(LibZ.ZStream));
        if (ret != LibZ.Ok)
        {
            var cause = LibZ.Describe(ret, null);
            ReleaseNative();
            throw new CompressionException($"{codecName}: zlib initialisation failed: {cause}");
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
            var ret = LibZ.Inflate(_stream, LibZ.NoFlush);
            consumed = input.Length - (int)_stream->AvailIn;
            produced = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->NextOut = null;
            switch (ret)
            {
                case LibZ.Ok:
                    return false;
                case LibZ.StreamEnd:
                    return true;
                case LibZ.BufError when !finish || consumed > 0 || produced > 0:
                    return false;
                default:
                    throw CompressionException.CorruptInput($"{CodecName} decompression failed: {LibZ.Describe(ret, _stream)}");
            }
        }
    }

    protected override bool TryContinueAfterEnd(ReadOnlySpan<byte> remaining)
    {
        if (remaining[0] != 0x1f)
        {
            return false;
        }

        var ret = LibZ.InflateReset(_stream);
        return ret == LibZ.Ok;
    }

    protected override void ReleaseNative()
    {
        if (_stream is not null)
        {
            LibZ.InflateEnd(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    ~GzipInflateStream()
    {
        ReleaseNative();
    }
}

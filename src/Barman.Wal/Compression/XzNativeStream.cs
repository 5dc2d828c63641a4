using System.Runtime.InteropServices;

namespace Barman.Wal.Compression;

/// <summary>An .xz encoder or decoder stage over <see cref="LibLzma"/>.</summary>
internal sealed unsafe class XzNativeStream : NativeFilterStream
{
    private LibLzma.LzmaStream* _stream;

    private XzNativeStream(Stream inner, bool leaveOpen, bool compress, string codecName)
        : base(inner, leaveOpen, compress, codecName)
    {
        _stream = (LibLzma.LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibLzma.LzmaStream));
        _stream->Allocator = MappedNativeAllocator.Lzma;
    }

    /// <summary>
    /// An encoder at <paramref name="preset"/> whose LZMA2 dictionary is at most
    /// <paramref name="maxDictionarySize"/> bytes (the preset's own when that is smaller).
    /// </summary>
    internal static XzNativeStream CreateEncoder(Stream destination, bool leaveOpen, string codecName, int preset, uint maxDictionarySize)
    {
        var result = new XzNativeStream(destination, leaveOpen, compress: true, codecName);
        var options = stackalloc byte[LibLzma.LzmaOptionsSize];
        new Span<byte>(options, LibLzma.LzmaOptionsSize).Clear();
        if (LibLzma.LzmaPreset(options, (uint)preset) != 0)
        {
            result.Init(LibLzma.OptionsError);
        }

        var dictionarySize = (uint*)options;
        *dictionarySize = Math.Min(*dictionarySize, maxDictionarySize);
        var filters = stackalloc LibLzma.LzmaFilter[2];
        filters[0] = new LibLzma.LzmaFilter { Id = LibLzma.FilterLzma2, Options = options };
        filters[1] = new LibLzma.LzmaFilter { Id = LibLzma.VliUnknown, Options = null };
        result.Init(LibLzma.StreamEncoder(result._stream, filters, LibLzma.CheckCrc64));
        return result;
    }

    internal static XzNativeStream CreateDecoder(Stream source, bool leaveOpen, string codecName)
    {
        var result = new XzNativeStream(source, leaveOpen, compress: false, codecName);
        result.Init(LibLzma.StreamDecoder(result._stream, ulong.MaxValue, LibLzma.Concatenated));
        return result;
    }

    private void Init(int ret)
    {
        if (ret != LibLzma.Ok)
        {
            ReleaseNative();
            throw new CompressionException($"{CodecName}: liblzma initialisation failed: {LibLzma.Describe(ret)}");
        }
    }

    protected override bool Step(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            _stream->NextIn = inPtr;
            _stream->AvailIn = (nuint)input.Length;
            _stream->NextOut = outPtr;
            _stream->AvailOut = (nuint)output.Length;
            var ret = LibLzma.Code(_stream, finish ? LibLzma.ActionFinish : LibLzma.ActionRun);
            consumed = input.Length - (int)_stream->AvailIn;
            produced = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->NextOut = null;
            switch (ret)
            {
                case LibLzma.Ok:
                    return false;
                case LibLzma.StreamEnd:
                    return true;
                case LibLzma.BufError when !finish:
                    return false;
                default:
                    var what = CanWrite ? "compression" : "decompression";
                    var message = $"{CodecName} {what} failed: {LibLzma.Describe(ret)}";
                    throw CanWrite ? new CompressionException(message) : CompressionException.CorruptInput(message);
            }
        }
    }

    protected override void ReleaseNative()
    {
        if (_stream is not null)
        {
            LibLzma.End(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    ~XzNativeStream()
    {
        ReleaseNative();
    }
}

using System.Buffers.Binary;
using System.Numerics;
using Snappier;

namespace Barman.Wal.Compression;

/// <summary>
/// Reads the Snappy framing format (python-snappy's <c>stream_compress</c> output): checks the stream
/// identifier, every chunk's masked CRC-32C, and reports a chunk cut short as a truncated file.
/// </summary>
/// <remarks>
/// Snappier's own SnappyStream silently stops at a truncated chunk, so the framing is parsed here
/// and only the block decompression is Snappier's. A 0-byte input is an empty stream: that is what
/// python-snappy (and so Barman) writes for an empty WAL file. Skippable chunks (0x80–0xfe) and
/// padding (0xfe) are skipped; reserved unskippable chunks (0x02–0x7f) are errors.
/// </remarks>
internal sealed class SnappyFrameReader(Stream source, bool leaveOpen, string codecName) : ReadStageStream
{
    private const int MaxChunk = 16 * 1024 * 1024;
    private const int MaxBlock = 64 * 1024;
    private static readonly byte[] StreamIdentifier = "sNaPpY"u8.ToArray();

    private readonly byte[] _header = new byte[4];
    private byte[] _chunk = new byte[Snappy.GetMaxCompressedLength(MaxBlock) + 4];
    private readonly byte[] _plain = new byte[MaxBlock];
    private int _plainStart;
    private int _plainEnd;
    private bool _sawIdentifier;
    private bool _ended;

    public override int Read(Span<byte> buffer)
    {
        while (_plainStart == _plainEnd)
        {
            if (_ended || buffer.IsEmpty || !NextChunk())
            {
                return 0;
            }
        }

        var n = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, n).CopyTo(buffer);
        _plainStart += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    /// <summary>Reads one chunk; false at a clean end of input.</summary>
    private bool NextChunk()
    {
        var got = ReadFully(_header);
        if (got == 0)
        {
            _ended = true;
            return false;
        }

        if (got < 4)
        {
            throw Truncated();
        }

        var type = _header[0];
        var length = _header[1] | (_header[2] << 8) | (_header[3] << 16);
        if (length > MaxChunk)
        {
            throw Corrupt($"chunk of {length} bytes is too large");
        }

        if (_chunk.Length < length)
        {
            _chunk = new byte[length];
        }

        var body = _chunk.AsSpan(0, length);
        if (ReadFully(body) < length)
        {
            throw Truncated();
        }

        if (type == 0xff)
        {
            if (!body.SequenceEqual(StreamIdentifier))
            {
                throw Corrupt("bad stream identifier");
            }

            _sawIdentifier = true;
            return true;
        }

        if (!_sawIdentifier)
        {
            throw Corrupt("missing stream identifier (not a snappy framed stream)");
        }

        switch (type)
        {
            case 0x00:
            case 0x01:
                if (length < 4)
                {
                    throw Corrupt("chunk too short");
                }

                var expected = BinaryPrimitives.ReadUInt32LittleEndian(body);
                var data = body[4..];
                int size;
                if (type == 0x00)
                {
                    int plainLength;
                    try
                    {
                        plainLength = Snappy.GetUncompressedLength(data);
                        if (plainLength > MaxBlock)
                        {
                            throw Corrupt("block larger than 64 KiB");
                        }

                        size = Snappy.Decompress(data, _plain);
                    }
                    catch (Exception e) when (e is not CompressionException)
                    {
                        throw Corrupt(e.Message);
                    }
                }
                else
                {
                    if (data.Length > MaxBlock)
                    {
                        throw Corrupt("stored chunk larger than 64 KiB");
                    }

                    data.CopyTo(_plain);
                    size = data.Length;
                }

                if (MaskedCrc32C(_plain.AsSpan(0, size)) != expected)
                {
                    throw Corrupt("CRC-32C mismatch");
                }

                _plainStart = 0;
                _plainEnd = size;
                return true;
            case >= 0x02 and <= 0x7f:
                throw Corrupt($"reserved unskippable chunk type 0x{type:x2}");
            default:
                return true; // skippable or padding
        }
    }

    internal static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xffffffffu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        crc ^= 0xffffffffu;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    private int ReadFully(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = source.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private CompressionException Truncated() =>
        CompressionException.CorruptInput($"{codecName} decompression failed: unexpected end of input (truncated file)");

    private CompressionException Corrupt(string what) =>
        CompressionException.CorruptInput($"{codecName} decompression failed: corrupt data ({what})");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            source.Dispose();
        }

        base.Dispose(disposing);
    }
}

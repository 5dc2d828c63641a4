using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Barman.Wal.Receiving;

/// <summary>
/// Reads an uncompressed tar from a non-seekable stream in one pass (spec: put-wal §2, §3.1): 512-byte
/// ustar/GNU headers with their checksum verified, PAX <c>x</c>/<c>g</c> records (<c>path</c>,
/// <c>size</c>, <c>mtime</c>), GNU long names; member data is read through <see cref="ReadDataAsync"/>.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>System.Formats.Tar.TarReader</c>: that reader does not verify header
/// checksums and reports a stream cut inside member data as a short read, while put-wal must tell
/// Barman's four stream errors apart (empty, truncated header, invalid header, cut data) and must never
/// take a damaged header for a member. Memory is one header block plus the small PAX/long-name records.
/// </remarks>
public sealed class TarStreamReader(Stream input)
{
    private const int BlockSize = 512;

    /// <summary>Largest PAX record or GNU long name accepted (they are a few dozen bytes in practice).</summary>
    private const int MaxMetadataSize = 1 << 20;

    private readonly byte[] _block = new byte[BlockSize];
    private long _position;
    private long _remaining;
    private int _padding;
    private bool _ended;

    /// <summary>Bytes consumed from the stream so far.</summary>
    public long Position => _position;

    /// <summary>
    /// Skips what is left of the current member and reads the next member's headers; null at the end
    /// of the archive (a zero block, or the stream ending on a member boundary).
    /// </summary>
    /// <exception cref="TarFormatException">The stream is not a tar, or is cut short.</exception>
    public async Task<TarMember?> NextAsync(CancellationToken cancellationToken = default)
    {
        if (_ended)
            return null;
        await SkipRestAsync(cancellationToken).ConfigureAwait(false);

        string? longName = null;
        string? paxPath = null;
        long? paxSize = null;
        DateTime? paxTime = null;
        while (true)
        {
            var read = await input.ReadAtLeastAsync(_block, BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0 && _position == 0)
                throw TarFormatException.Empty();
            if (read == 0 && longName is null && paxPath is null && paxSize is null && paxTime is null)
            {
                _ended = true;
                return null;
            }

            if (read < BlockSize)
                throw TarFormatException.TruncatedHeader();
            _position += BlockSize;
            if (Array.TrueForAll(_block, b => b == 0))
            {
                _ended = true;
                return null;
            }

            var header = ParseHeader(_block);
            switch (header.TypeFlag)
            {
                case (byte)'x':
                    foreach (var (key, value) in await ReadPaxRecordsAsync(header.Size, cancellationToken).ConfigureAwait(false))
                    {
                        switch (key)
                        {
                            case "path":
                                paxPath = value;
                                break;
                            case "size":
                                paxSize = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                                    ? size
                                    : throw TarFormatException.InvalidHeader();
                                break;
                            case "mtime":
                                paxTime = ParsePaxTime(value);
                                break;
                        }
                    }

                    continue;
                case (byte)'g':
                    await ReadMetadataAsync(header.Size, cancellationToken).ConfigureAwait(false);
                    continue;
                case (byte)'L':
                    longName = CString(await ReadMetadataAsync(header.Size, cancellationToken).ConfigureAwait(false));
                    continue;
                case (byte)'K':
                    await ReadMetadataAsync(header.Size, cancellationToken).ConfigureAwait(false);
                    continue;
            }

            var name = paxPath ?? longName ?? header.Name;
            var type = header.TypeFlag;
            if (type == 0 && name.EndsWith('/'))
                type = (byte)'5';
            if (type == (byte)'5')
                name = name.TrimEnd('/');
            var member = new TarMember(name, type, paxSize ?? header.Size, paxTime ?? header.ModifiedTime);
            // links and devices carry no data whatever their size field says
            _remaining = type is (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'6' ? 0 : member.Size;
            _padding = (int)((BlockSize - (_remaining % BlockSize)) % BlockSize);
            return member;
        }
    }

    /// <summary>Reads the current member's data; 0 once all of it was read.</summary>
    /// <exception cref="TarFormatException">The stream ended before the member's size was reached.</exception>
    public async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0)
            return 0;
        var wanted = (int)Math.Min(buffer.Length, _remaining);
        var read = await input.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        if (read == 0)
            throw TarFormatException.UnexpectedEnd();
        _remaining -= read;
        _position += read;
        return read;
    }

    /// <summary>
    /// After the end of the archive, reads and discards what the sender still writes (the zero padding
    /// up to its record size, at most <paramref name="limit"/> bytes), so that it never sees a broken pipe.
    /// </summary>
    public async Task DrainAsync(long limit, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[16 * 1024];
        for (long drained = 0; drained < limit;)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - drained)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return;
            drained += read;
        }
    }

    private async Task SkipRestAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[BlockSize * 8];
        while (_remaining > 0)
            await ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (_padding == 0)
            return;
        var read = await input.ReadAtLeastAsync(buffer.AsMemory(0, _padding), _padding, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        _position += read;
        if (read < _padding)
            throw TarFormatException.UnexpectedEnd();
        _padding = 0;
    }

    private async Task<byte[]> ReadMetadataAsync(long size, CancellationToken cancellationToken)
    {
        if (size > MaxMetadataSize)
            throw TarFormatException.InvalidHeader();
        var data = new byte[size];
        _remaining = size;
        _padding = (int)((BlockSize - (size % BlockSize)) % BlockSize);
        var offset = 0;
        while (offset < data.Length)
            offset += await ReadDataAsync(data.AsMemory(offset), cancellationToken).ConfigureAwait(false);
        await SkipRestAsync(cancellationToken).ConfigureAwait(false);
        return data;
    }

    private async Task<List<(string Key, string Value)>> ReadPaxRecordsAsync(long size, CancellationToken cancellationToken)
    {
        var data = await ReadMetadataAsync(size, cancellationToken).ConfigureAwait(false);
        var records = new List<(string, string)>();
        var offset = 0;
        while (offset < data.Length && data[offset] != 0)
        {
            // "<length> <key>=<value>\n", length counting the whole record
            var space = Array.IndexOf(data, (byte)' ', offset);
            if (space < 0
                || !int.TryParse(data.AsSpan(offset, space - offset), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space - offset + 1 || offset + length > data.Length || data[offset + length - 1] != (byte)'\n')
                throw TarFormatException.InvalidHeader();
            var record = data.AsSpan(space + 1, offset + length - space - 2);
            var equals = record.IndexOf((byte)'=');
            if (equals < 0)
                throw TarFormatException.InvalidHeader();
            records.Add((Encoding.UTF8.GetString(record[..equals]), Encoding.UTF8.GetString(record[(equals + 1)..])));
            offset += length;
        }

        return records;
    }

    private static (string Name, byte TypeFlag, long Size, DateTime ModifiedTime) ParseHeader(byte[] block)
    {
        var stored = ParseNumber(block.AsSpan(148, 8));
        long unsigned = 0, signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        if (stored != unsigned && stored != signed)
            throw TarFormatException.BadChecksum();

        var name = CString(block.AsSpan(0, 100));
        var size = ParseNumber(block.AsSpan(124, 12));
        var mtime = ParseNumber(block.AsSpan(136, 12));
        var posixUstar = block.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
        var prefix = posixUstar ? CString(block.AsSpan(345, 155)) : "";
        if (prefix.Length > 0)
            name = prefix + "/" + name;
        if (size < 0 || mtime is < -62_135_596_800 or > 253_402_300_799)
            throw TarFormatException.InvalidHeader();
        return (name, block[156], size, DateTime.UnixEpoch.AddSeconds(mtime));
    }

    /// <summary>An octal field (NUL/space terminated) or GNU base-256 (first byte 0x80 or 0xff).</summary>
    private static long ParseNumber(ReadOnlySpan<byte> field)
    {
        if (field[0] is 0x80 or 0xff)
        {
            if (field.Length > 9 && field[1..^8].ContainsAnyExcept(field[0] == 0x80 ? (byte)0 : (byte)0xff))
                throw TarFormatException.InvalidHeader();
            var value = BinaryPrimitives.ReadInt64BigEndian(field[^8..]);
            return field[0] == 0x80 && value < 0 ? throw TarFormatException.InvalidHeader() : value;
        }

        var end = field.IndexOf((byte)0);
        var text = (end < 0 ? field : field[..end]).Trim((byte)' ');
        if (text.IsEmpty)
            return 0;
        long result = 0;
        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'7' || result > long.MaxValue >> 3)
                throw TarFormatException.InvalidHeader();
            result = (result << 3) | (long)(digit - '0');
        }

        return result;
    }

    private static DateTime ParsePaxTime(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            || seconds < -62_135_596_800m || seconds > 253_402_300_799m)
            throw TarFormatException.InvalidHeader();
        return DateTime.UnixEpoch.AddTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.ToZero));
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}

using System.Buffers;
using System.Globalization;
using Barman.Wal.Compression;
using Barman.Wal.Xlog;

namespace Barman.Wal.Restore;

/// <summary>
/// Produces the bytes get-wal sends for one found file (spec: get-wal §4), as a stream — no temporary file
/// anywhere, so a read-only archive is enough: stored bytes → gpg → decompression → (optional -z/-j
/// compression) → destination. A decoded segment is verified (size = the segment size of its header;
/// with <c>wal_header_validation</c>, the header matches the name) before the caller commits the output.
/// </summary>
public sealed class WalRestorer(RestoreArchive archive)
{
    private const int MinSegmentSize = 1 << 20;
    private const int MaxSegmentSize = 1 << 30;

    /// <summary>
    /// Writes what get-wal sends for <paramref name="candidate"/> (requested as <paramref name="requested"/>) into
    /// <paramref name="destination"/>. Throws <see cref="GetWalException"/> on a decoding failure and
    /// <see cref="RestoredWalInvalidException"/> when the result is not a complete segment; the caller then
    /// discards the destination.
    /// </summary>
    public async Task<RestoredWal> RestoreAsync(
        WalCandidate candidate, WalName requested, string? outputCompression, bool keepCompression, Stream destination,
        CancellationToken cancellationToken = default)
    {
        var raw = await candidate.Open(cancellationToken).ConfigureAwait(false);
        var decoded = await archive.Decoder.OpenAsync(raw, candidate.Name, decompress: false, cancellationToken).ConfigureAwait(false);
        await using (decoded.ConfigureAwait(false))
        {
            var stored = decoded.Compression;
            if (keepCompression || (stored is not null && stored == outputCompression))
            {
                await CopyAsync(decoded.Content, destination, stored, cancellationToken).ConfigureAwait(false);
                return new RestoredWal(stored, null);
            }

            var plain = stored is null ? decoded.Content : archive.Decoder.Decompress(decoded.Content, stored, cancellationToken);
            await using (plain.ConfigureAwait(false))
            {
                var compressor = outputCompression is null ? null : OutputCodec(outputCompression).OpenCompressor(destination, leaveOpen: true);
                (byte[] Header, long Size) copied;
                try
                {
                    copied = await CopyAsync(plain, compressor ?? destination, stored, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (compressor is not null)
                        await compressor.DisposeAsync().ConfigureAwait(false);
                }

                var segmentSize = Verify(requested, candidate, copied.Header, copied.Size);
                return new RestoredWal(stored, segmentSize);
            }
        }
    }

    /// <summary>
    /// Checks a decoded file: a segment (not served from a <c>.partial</c>) must be exactly its segment size
    /// — the size in its long page header, else a power of two between 1 MiB and 1 GiB — and, with
    /// <c>wal_header_validation</c>, have the header of the named segment. Returns the segment size.
    /// </summary>
    public long? Verify(WalName requested, WalCandidate candidate, ReadOnlySpan<byte> header, long size)
    {
        if (requested.Kind != WalFileKind.Segment || candidate.IsPartial)
            return null;
        var headerSize = WalPageHeader.TryRead(header, out var h) && (h.Info & WalPageHeader.LongHeaderFlag) != 0
            && h.SegmentSize is >= MinSegmentSize and <= MaxSegmentSize && uint.IsPow2(h.SegmentSize)
            ? h.SegmentSize
            : (long?)null;
        var expected = headerSize ?? (size is >= MinSegmentSize and <= MaxSegmentSize && long.IsPow2(size) ? size : (long?)null);
        if (expected != size)
        {
            throw new RestoredWalInvalidException(string.Create(CultureInfo.InvariantCulture,
                $"WAL file '{candidate.Name}' of server '{archive.Server.Name}' decodes to {size} bytes, not a complete WAL segment{(expected is { } e ? $" of {e} bytes" : string.Empty)} ({candidate.Location}): not restored"));
        }

        if (archive.Server.WalHeaderValidation)
        {
            var verdict = WalHeaderValidator.Validate(requested, header, size, null, null);
            if (!verdict.IsValid)
                throw new RestoredWalInvalidException($"WAL file '{candidate.Name}' of server '{archive.Server.Name}' is not the segment its name says: {verdict.Reason} ({candidate.Location}): not restored");
        }

        return size;
    }

    private WalCodec OutputCodec(string name)
    {
        WalCompressionLevel.TryParse(archive.Server.CompressionLevel, out var level);
        return new WalCodecRegistry().Get(name, level);
    }

    /// <summary>Copies, keeping the first page header and counting; a decoder failure becomes Barman's error line.</summary>
    private static async Task<(byte[] Header, long Size)> CopyAsync(Stream source, Stream destination, string? compression, CancellationToken cancellationToken)
    {
        var header = new byte[WalPageHeader.LongHeaderSize];
        var headerLength = 0;
        long size = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (compression is not null && e is CompressionException or InvalidDataException or EndOfStreamException)
                {
                    throw new GetWalException($"Error decompressing WAL: {e.Message.ReplaceLineEndings(" ").Trim()}", inner: e);
                }

                if (read == 0)
                    break;
                if (headerLength < header.Length)
                {
                    var take = Math.Min(read, header.Length - headerLength);
                    buffer.AsSpan(0, take).CopyTo(header.AsSpan(headerLength));
                    headerLength += take;
                }

                size += read;
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (header[..headerLength], size);
    }
}

/// <summary>What was sent: the stored compression found, and the verified segment size (null when not a verified segment).</summary>
public sealed record RestoredWal(string? StoredCompression, long? SegmentSize);

using System.Buffers;
using System.Globalization;
using Barman.Wal.Compression;
using Barman.Wal.Encryption;
using Barman.Wal.Storage;
using Barman.Wal.Xlog;

namespace Barman.Wal.Verification;

/// <summary>
/// Reads every stored segment and partial file back through <see cref="StoredWalDecoder"/> (gpg, then the
/// codec found by magic), counts the plain bytes and validates the first page header against the name
/// (spec: wal-names §7). Runs over the cores; memory is one 64 KiB buffer per worker.
/// </summary>
public sealed class ContentCheck(WalStorageStrategy storage, StoredWalDecoder decoder, uint? segmentSize, bool canDecrypt)
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Reads <paramref name="files"/>; <paramref name="progress"/> is called after each file.</summary>
    /// <exception cref="VerificationImpossibleException">Storage could not be read, or encrypted WAL without a passphrase command.</exception>
    public async Task<IReadOnlyList<ContentResult>> RunAsync(
        IReadOnlyList<(WalName Name, StoredObject Stored)> files, Action progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(progress);
        var results = new ContentResult?[files.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), options, async (i, token) =>
        {
            results[i] = await ReadOneAsync(files[i].Name, files[i].Stored, token).ConfigureAwait(false);
            progress();
        }).ConfigureAwait(false);
        return [.. results.OfType<ContentResult>()];
    }

    private async Task<ContentResult?> ReadOneAsync(WalName name, StoredObject stored, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            Stream raw;
            try
            {
                raw = await storage.OpenStoredAsync(stored, cancellationToken).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                return null; // removed since it was listed (retention): the catalog check re-reads later
            }

            DecodedWal decoded;
            try
            {
                decoded = await decoder.OpenAsync(raw, name.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (GpgException e) when (!canDecrypt)
            {
                throw new VerificationImpossibleException(e.Message);
            }

            await using (decoded.ConfigureAwait(false))
            {
                var header = new byte[WalPageHeader.LongHeaderSize];
                var headerLength = 0;
                long total = 0;
                try
                {
                    int read;
                    while ((read = await decoded.Content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        if (headerLength < header.Length)
                        {
                            var take = Math.Min(read, header.Length - headerLength);
                            buffer.AsSpan(0, take).CopyTo(header.AsSpan(headerLength));
                            headerLength += take;
                        }

                        total += read;
                    }
                }
                catch (Exception e) when (e is CompressionException or GpgException or InvalidDataException or EndOfStreamException)
                {
                    var encoding = decoded.Compression ?? (decoded.Encrypted ? "gpg" : "the stored");
                    return new ContentResult(name, stored, decoded.Compression, decoded.Encrypted, null, new WalProblem(WalProblemKind.Corrupt,
                        name.Name, Text($"the {encoding} data cannot be decoded after {total} bytes: {OneLine(e.Message)}")));
                }

                var verdict = WalHeaderValidator.Validate(name, header.AsSpan(0, headerLength), total, null, segmentSize);
                var problem = verdict.IsValid ? null : new WalProblem(WalProblemKind.Corrupt, name.Name, verdict.Reason);
                return new ContentResult(name, stored, decoded.Compression, decoded.Encrypted, verdict.Header, problem);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What reading one stored file showed.</summary>
/// <param name="Name">The WAL name.</param>
/// <param name="Stored">The stored object.</param>
/// <param name="Compression">The compression found, or null.</param>
/// <param name="Encrypted">True when the stored bytes were OpenPGP.</param>
/// <param name="Header">The first page header when it was well formed, else null.</param>
/// <param name="Problem">A <see cref="WalProblemKind.Corrupt"/> problem, or null.</param>
public sealed record ContentResult(
    WalName Name, StoredObject Stored, string? Compression, bool Encrypted, WalPageHeader? Header, WalProblem? Problem);

/// <summary>A server's archive cannot be verified at all (storage unreadable, no passphrase command…).</summary>
public sealed class VerificationImpossibleException(string message, Exception? innerException = null)
    : Exception(message, innerException);

using Barman.Wal.Encryption;

namespace Barman.Wal.Storage;

/// <summary>
/// Turns stored bytes back into the plain WAL, as a stream (no temporary file): OpenPGP is recognised and
/// decrypted first, then the compression is recognised by its magic bytes and decoded (spec: get-wal §4).
/// Shared by everything that reads the archive back: restore, verification, catalog rebuilds.
/// </summary>
/// <param name="reader">Recognition and decompression stages (the server's codec registry).</param>
/// <param name="decryptor">The gpg decryption stage, or null when no <c>encryption_passphrase_command</c> is configured.</param>
public sealed class StoredWalDecoder(IWalContentReader reader, IWalTransform? decryptor)
{
    /// <summary>
    /// Opens <paramref name="raw"/> (stored bytes, read sequentially) as plain WAL. Decoding runs as the
    /// returned stream is read; a decoder failure surfaces from those reads. Disposing the result disposes
    /// <paramref name="raw"/>.
    /// </summary>
    /// <param name="raw">The stored bytes.</param>
    /// <param name="walName">The WAL name, for messages.</param>
    /// <param name="decompress">False: decrypt only and report the compression found, leaving the content compressed
    /// (get-wal's <c>--keep-compression</c>).</param>
    /// <param name="cancellationToken">Cancels decoding.</param>
    /// <exception cref="GpgException">The bytes are encrypted and no decryptor is configured.</exception>
    public async Task<DecodedWal> OpenAsync(Stream raw, string walName, bool decompress = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var (header, rest) = await PeekAsync(raw, cancellationToken).ConfigureAwait(false);
        var encrypted = reader.IsEncrypted(header.Span);
        var content = rest;
        if (encrypted)
        {
            if (decryptor is null)
            {
                await raw.DisposeAsync().ConfigureAwait(false);
                throw GpgDecryptor.MissingPassphraseCommand(walName);
            }

            (header, content) = await PeekAsync(DecodedStream.Open(rest, decryptor, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var compression = reader.DetectCompression(header.Span);
        if (compression is not null && decompress)
            content = DecodedStream.Open(content, reader.Decompressor(compression), cancellationToken);
        return new DecodedWal(content, compression, encrypted, raw);
    }

    /// <summary>
    /// Decompresses <paramref name="content"/> (as left by <see cref="OpenAsync"/> with <c>decompress: false</c>)
    /// as a stream; a decoder failure surfaces from the reads.
    /// </summary>
    public Stream Decompress(Stream content, string compression, CancellationToken cancellationToken = default) =>
        DecodedStream.Open(content, reader.Decompressor(compression), cancellationToken);

    private async Task<(ReadOnlyMemory<byte> Header, Stream Stream)> PeekAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[reader.HeaderLength];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var header = buffer.AsMemory(0, read);
        return (header, new PrefixedReadStream(header, stream));
    }
}

/// <summary>A stored WAL opened as plain bytes by <see cref="StoredWalDecoder"/>.</summary>
/// <param name="Content">The plain WAL bytes (decrypted, decompressed), read sequentially.</param>
/// <param name="Compression">The compression found in the stored bytes (after decryption), or null.</param>
/// <param name="Encrypted">True when the stored bytes were an OpenPGP message.</param>
/// <param name="Raw">The stored bytes' stream, disposed with this.</param>
public sealed record DecodedWal(Stream Content, string? Compression, bool Encrypted, Stream Raw) : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        await Raw.DisposeAsync().ConfigureAwait(false);
    }
}

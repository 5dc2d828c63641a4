namespace Barman.Wal.Compression;

/// <summary>Compares two streams' contents in bounded memory (duplicate WAL checks).</summary>
public static class WalStreamComparer
{
    /// <summary>True when both streams yield the same bytes to their end.</summary>
    public static Task<bool> ContentEqualsAsync(Stream first, Stream second, CancellationToken cancellationToken = default) =>
        Storage.StreamComparer.EqualAsync(first, second, cancellationToken);

    /// <summary>
    /// True when two files have the same plain content, each decompressed with its own compression
    /// name (null = stored as is).
    /// </summary>
    public static async Task<bool> FilesEqualAsync(
        WalCodecRegistry registry, string firstPath, string? firstCompression, string secondPath, string? secondCompression,
        CancellationToken cancellationToken = default)
    {
        var first = registry.OpenDecompressedFile(firstPath, firstCompression);
        await using (first.ConfigureAwait(false))
        {
            var second = registry.OpenDecompressedFile(secondPath, secondCompression);
            await using (second.ConfigureAwait(false))
            {
                return await ContentEqualsAsync(first, second, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

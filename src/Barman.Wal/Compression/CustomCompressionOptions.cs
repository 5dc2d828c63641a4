namespace Barman.Wal.Compression;

/// <summary>
/// The <c>custom_compression_filter</c>, <c>custom_decompression_filter</c> and
/// <c>custom_compression_magic</c> options (all optional here; <c>compression = custom</c> needs both filters).
/// </summary>
/// <param name="CompressionFilter">Shell command reading plain bytes on stdin, writing compressed bytes on stdout.</param>
/// <param name="DecompressionFilter">Shell command doing the reverse.</param>
/// <param name="Magic">As configured: <c>0x</c> followed by hex digits, e.g. <c>0x1f8b</c>.</param>
public sealed record CustomCompressionOptions(string? CompressionFilter, string? DecompressionFilter, string? Magic)
{
    /// <summary>
    /// The magic bytes, decoded as Barman does: the first two characters are dropped (whatever they
    /// are) and the rest is hex-decoded. Null when unset; empty for <c>0x</c> (which never matches).
    /// </summary>
    /// <exception cref="CompressionException">The rest is not hex.</exception>
    public byte[]? MagicBytes()
    {
        if (Magic is null)
        {
            return null;
        }

        var hex = Magic.Length >= 2 ? Magic[2..] : string.Empty;
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new CompressionException($"Invalid custom_compression_magic '{Magic}': expected 0x followed by hex digits");
        }
    }
}

namespace Barman.Wal.Storage;

/// <summary>Recognises and decodes stored or incoming WAL bytes (magic numbers, OpenPGP).</summary>
public interface IWalContentReader
{
    /// <summary>The compression detected from the first bytes, or null (uncompressed or unknown).</summary>
    string? DetectCompression(ReadOnlySpan<byte> header);

    /// <summary>True when the first bytes are an OpenPGP encrypted message.</summary>
    bool IsEncrypted(ReadOnlySpan<byte> header);

    /// <summary>The decompression stage for a compression name.</summary>
    IWalTransform Decompressor(string compression);

    /// <summary>How many header bytes detection needs.</summary>
    int HeaderLength { get; }
}

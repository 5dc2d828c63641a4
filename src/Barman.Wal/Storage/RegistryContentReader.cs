using Barman.Wal.Compression;
using Barman.Wal.Encryption;

namespace Barman.Wal.Storage;

/// <summary>Recognition by the codec registry's magic numbers and the OpenPGP packet header.</summary>
public sealed class RegistryContentReader(WalCodecRegistry registry, bool assumeCustomWhenUnrecognised) : IWalContentReader
{
    /// <inheritdoc />
    public int HeaderLength => Math.Max(registry.HeaderLength, OpenPgpMessage.HeaderLength);

    /// <inheritdoc />
    public string? DetectCompression(ReadOnlySpan<byte> header) => registry.Detect(header, assumeCustomWhenUnrecognised);

    /// <inheritdoc />
    public bool IsEncrypted(ReadOnlySpan<byte> header) => OpenPgpMessage.IsEncrypted(header);

    /// <inheritdoc />
    public IWalTransform Decompressor(string compression) => new CodecTransform(registry.Get(compression), compress: false);
}

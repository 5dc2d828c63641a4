using Barman.Wal.Compression;
using Barman.Wal.Configuration;
using Barman.Wal.Encryption;
using Barman.Wal.Storage;

namespace Barman.Wal.Hosting;

/// <summary>Turns a server's compression and encryption options into its store pipeline.</summary>
public sealed class WalPipelineFactory(IWalEncryptorFactory encryptors)
{
    /// <summary>The pipeline: configured compressor and encryptor, and the reader for stored files.</summary>
    public WalPipeline Create(ServerOptions server)
    {
        var registry = Registry(server);
        IWalTransform? compressor = null;
        if (server.Compression is { } name)
        {
            WalCompressionLevel.TryParse(server.CompressionLevel, out var level);
            var codec = registry.Get(name, level);
            codec.EnsureAvailable();
            compressor = new CodecTransform(codec, compress: true);
        }

        var assumeCustom = string.Equals(server.Compression, "custom", StringComparison.Ordinal)
            && string.IsNullOrEmpty(server.CustomCompressionMagic);
        return new WalPipeline(compressor, encryptors.Create(server), new RegistryContentReader(registry, assumeCustom));
    }

    /// <summary>
    /// The pipeline for reading the archive back (restore): the configured codec only names the preferred
    /// stored form (its availability is not required: decoding goes by magic), no encryption stage.
    /// </summary>
    public WalPipeline CreateForReading(ServerOptions server)
    {
        var registry = Registry(server);
        IWalTransform? compressor = null;
        if (server.Compression is { } name && WalCodecRegistry.IsKnown(name))
            compressor = new CodecTransform(registry.Get(name), compress: true);
        var assumeCustom = string.Equals(server.Compression, "custom", StringComparison.Ordinal)
            && string.IsNullOrEmpty(server.CustomCompressionMagic);
        return new WalPipeline(compressor, null, new RegistryContentReader(registry, assumeCustom));
    }

    /// <summary>The reader for files arriving in incoming: an unrecognised file is never "custom".</summary>
    public IWalContentReader IncomingReader(ServerOptions server) => new RegistryContentReader(Registry(server), false);

    private static WalCodecRegistry Registry(ServerOptions server) =>
        new(new CustomCompressionOptions(server.CustomCompressionFilter, server.CustomDecompressionFilter, server.CustomCompressionMagic));
}

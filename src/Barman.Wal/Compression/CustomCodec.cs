namespace Barman.Wal.Compression;

/// <summary>
/// <c>custom</c>: the user's filter commands, run through the shell with stdin/stdout wired as
/// Barman does. No level is passed.
/// </summary>
internal sealed class CustomCodec : WalCodec
{
    private readonly CustomCompressionOptions _options;
    private readonly byte[] _magic;

    internal CustomCodec(CustomCompressionOptions options)
        : base("custom", null, false)
    {
        _options = options;
        _magic = options.MagicBytes() ?? [];
    }

    public override string? FileExtension => null;

    public override ReadOnlyMemory<byte> Magic => _magic;

    public override bool IsExternal => true;

    public override (string Command, string Description)? CompressionFilter =>
        (Required(_options.CompressionFilter, "custom_compression_filter"), "custom compression");

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false)
    {
        var (filter, description) = CompressionFilter!.Value;
        return new ExternalCompressorStream(filter, description, destination, leaveOpen);
    }

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false)
    {
        var filter = Required(_options.DecompressionFilter, "custom_decompression_filter");
        return new ExternalDecompressorStream(filter, "custom decompression", source, leaveOpen);
    }

    /// <summary>Fails on use, not at configuration load, as Barman does.</summary>
    private static string Required(string? filter, string option) =>
        string.IsNullOrWhiteSpace(filter) ? throw new CompressionIncompatibilityException(option) : filter;
}

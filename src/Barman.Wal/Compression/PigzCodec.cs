using System.Globalization;

namespace Barman.Wal.Compression;

/// <summary>
/// <c>pigz</c>: Barman runs <c>pigz -c -&lt;level&gt;</c> to compress and <c>pigz -c -d</c> to
/// decompress (levels 1/6/9, range 1..9), through the shell, as here.
/// </summary>
internal sealed class PigzCodec : WalCodec
{
    internal static readonly CodecLevels Levels = new(1, 6, 9, 1, 9);

    internal PigzCodec(int level, bool clamped)
        : base("pigz", level, clamped)
    {
    }

    public override string? FileExtension => null;

    public override ReadOnlyMemory<byte> Magic => GzipCodec.MagicBytes;

    public override bool IsExternal => true;

    internal string CompressCommand => "pigz -c -" + Level!.Value.ToString(CultureInfo.InvariantCulture);

    internal const string DecompressCommand = "pigz -c -d";

    public override (string Command, string Description)? CompressionFilter => (CompressCommand, "pigz compression");

    public override Stream OpenCompressor(Stream destination, bool leaveOpen = false)
    {
        EnsureAvailable();
        return new ExternalCompressorStream(CompressCommand, "pigz compression", destination, leaveOpen);
    }

    public override Stream OpenDecompressor(Stream source, bool leaveOpen = false)
    {
        EnsureAvailable();
        return new ExternalDecompressorStream(DecompressCommand, "pigz decompression", source, leaveOpen);
    }

    public override void EnsureAvailable()
    {
        if (!ExecutableSearch.IsOnPath("pigz"))
        {
            throw new CompressionException("pigz compression: the 'pigz' command was not found in PATH (install pigz)");
        }
    }
}

using Barman.Wal.Errors;

namespace Barman.Wal.Storage.Cloud;

/// <summary>The configured compression has no in-memory form (pigz, custom), which cloud WAL storage requires (spec: storage §4.3).</summary>
public sealed class CloudCompressionUnsupportedException()
    : BarmanWalException(Text)
{
    /// <summary>Barman's exact error text.</summary>
    public const string Text =
        "Cloud WAL storage only supports in-memory compression algorithms (gzip, bzip2, xz, zstd, lz4, snappy). pigz and custom compressors are not supported.";
}

using Barman.Wal.Errors;

namespace Barman.Wal.Compression;

/// <summary>
/// Barman's <c>CompressionIncompatibility</c>: <c>compression = custom</c> without the filter it needs.
/// </summary>
/// <remarks>
/// As in Barman, the message is only the name of the missing option
/// (<c>custom_compression_filter</c> or <c>custom_decompression_filter</c>), which Barman prints
/// as <c>EXCEPTION: custom_compression_filter</c>.
/// </remarks>
public sealed class CompressionIncompatibilityException : BarmanWalException
{
    public CompressionIncompatibilityException(string missingOption)
        : base(missingOption)
    {
        MissingOption = missingOption;
    }

    /// <summary>The configuration key that is missing.</summary>
    public string MissingOption { get; }
}

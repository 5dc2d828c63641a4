using Barman.Wal.Errors;

namespace Barman.Wal.Compression;

/// <summary>A compression name that Barman does not know (e.g. <c>none</c> or a typo).</summary>
public sealed class UnknownCompressionException : BarmanWalException
{
    public UnknownCompressionException(string name)
        : base($"Unknown compression '{CompressionException.OneLine(name)}' " +
               $"(must be one in: {string.Join(", ", WalCodecRegistry.ConfigNames)})")
    {
        Name = name;
    }

    /// <summary>The rejected value as configured.</summary>
    public string Name { get; }
}

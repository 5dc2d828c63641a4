using Barman.Wal.Errors;

namespace Barman.Wal.Storage;

/// <summary>The source WAL file disappeared after it was listed; nothing was stored.</summary>
public sealed class WalSourceVanishedException(string path)
    : BarmanWalException($"{path} vanished before it could be archived (nothing stored, nothing lost)")
{
    /// <summary>The path that vanished.</summary>
    public string SourcePath { get; } = path;
}

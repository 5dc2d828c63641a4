using Barman.Wal.Catalog;

namespace Barman.Wal.Storage;

/// <summary>
/// A WAL file that a strategy has staged (written under a temporary name, or uploaded) but not yet
/// put in place; <see cref="WalStorageStrategy.CommitAsync"/> makes it final and durable.
/// </summary>
public sealed class StagedWal(WalFileInfo wal, StoreOutcome outcome, string destination, string? stagedPath)
{
    /// <summary>The record, already describing the stored bytes (size, compression, encryption).</summary>
    public WalFileInfo Wal { get; } = wal;

    /// <summary>Stored, or one of the duplicate verdicts (nothing staged then).</summary>
    public StoreOutcome Outcome { get; } = outcome;

    /// <summary>The final path or object key.</summary>
    public string Destination { get; } = destination;

    /// <summary>The temporary path or marker the strategy staged, null when none.</summary>
    public string? StagedPath { get; } = stagedPath;
}

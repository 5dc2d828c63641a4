using Barman.Wal.Catalog;

namespace Barman.Wal.Retention;

/// <summary>What one purge keeps and removes, decided before anything is touched.</summary>
/// <param name="Rule">Which rule decided, for the console (e.g. <c>before 000000010000000000000005 (oldest backup …)</c>).</param>
/// <param name="Kept">Catalog lines that stay, in catalog order.</param>
/// <param name="Removed">Catalog lines whose files go, in catalog order.</param>
/// <param name="Orphans">Stored files without a catalog line that go too (left by an interrupted purge or archive).</param>
/// <param name="InvalidNames">Catalog lines whose name is no WAL name: dropped from the catalog (their files untouched), as Barman does.</param>
public sealed record PurgePlan(
    string Rule,
    IReadOnlyList<WalFileInfo> Kept,
    IReadOnlyList<WalFileInfo> Removed,
    IReadOnlyList<WalFileInfo> Orphans,
    IReadOnlyList<string> InvalidNames)
{
    /// <summary>Every file to delete: the removed catalog lines, then the orphans.</summary>
    public IReadOnlyList<WalFileInfo> Files => [.. Removed, .. Orphans];

    /// <summary>Total stored bytes of <see cref="Files"/>.</summary>
    public long TotalSize => Removed.Sum(w => w.Size) + Orphans.Sum(w => w.Size);

    /// <summary>True when the catalog must be rewritten.</summary>
    public bool ChangesCatalog => Removed.Count > 0 || InvalidNames.Count > 0;
}

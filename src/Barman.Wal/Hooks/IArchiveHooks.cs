using Barman.Wal.Catalog;

namespace Barman.Wal.Hooks;

/// <summary>
/// The archive hook bracket around storing one WAL file (spec: hooks-encryption): pre hooks before any
/// work, post hooks always afterwards, also after a failure or a duplicate.
/// </summary>
public interface IArchiveHooks
{
    /// <summary>True when any archive hook script is configured (barman-wal then archives one file at a time).</summary>
    bool AnyConfigured { get; }

    /// <summary><c>pre_archive_script</c> then <c>pre_archive_retry_script</c>, with <c>BARMAN_FILE</c> = the source.</summary>
    Task<HookVerdict> RunPreAsync(WalFileInfo wal, string sourcePath, CancellationToken cancellationToken = default);

    /// <summary><c>post_archive_retry_script</c> then <c>post_archive_script</c>, with the error text if any.</summary>
    Task RunPostAsync(WalFileInfo wal, string storedPath, string? error, CancellationToken cancellationToken = default);
}

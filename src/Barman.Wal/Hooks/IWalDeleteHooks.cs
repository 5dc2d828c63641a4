using Barman.Wal.Catalog;

namespace Barman.Wal.Hooks;

/// <summary>
/// The wal-delete hook bracket around removing one archived WAL (spec: storage §5, hooks-encryption §1):
/// <c>pre_wal_delete_script</c>, <c>pre_wal_delete_retry_script</c>, removal,
/// <c>post_wal_delete_retry_script</c>, <c>post_wal_delete_script</c>. Shared by every storage strategy.
/// </summary>
public interface IWalDeleteHooks
{
    /// <summary>True when any wal-delete hook script is configured.</summary>
    bool AnyConfigured { get; }

    /// <summary>The pre hooks with <c>BARMAN_FILE</c> = <paramref name="path"/> and the catalogued record.</summary>
    /// <exception cref="RetryHookAbortedException"><c>pre_wal_delete_retry_script</c> answered 63: the delete call fails.</exception>
    Task RunPreAsync(WalFileInfo wal, string path, CancellationToken cancellationToken = default);

    /// <summary>The post hooks; <paramref name="error"/> is the deletion error text or null. A 63 is only logged.</summary>
    Task RunPostAsync(WalFileInfo wal, string path, string? error, CancellationToken cancellationToken = default);
}

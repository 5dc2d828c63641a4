using Barman.Wal.Catalog;

namespace Barman.Wal.Hooks;

/// <summary>The wal-delete bracket of a server with no wal-delete hook script: nothing runs.</summary>
public sealed class NoWalDeleteHooks : IWalDeleteHooks
{
    /// <summary>The shared instance.</summary>
    public static NoWalDeleteHooks Instance { get; } = new();

    /// <inheritdoc />
    public bool AnyConfigured => false;

    /// <inheritdoc />
    public Task RunPreAsync(WalFileInfo wal, string path, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task RunPostAsync(WalFileInfo wal, string path, string? error, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}

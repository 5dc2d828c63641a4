using Barman.Wal.Catalog;

namespace Barman.Wal.Hooks;

/// <summary>The hook bracket of a server with no archive hook script configured: nothing runs.</summary>
public sealed class NoArchiveHooks : IArchiveHooks
{
    /// <summary>The shared instance.</summary>
    public static NoArchiveHooks Instance { get; } = new();

    /// <inheritdoc />
    public bool AnyConfigured => false;

    /// <inheritdoc />
    public Task<HookVerdict> RunPreAsync(WalFileInfo wal, string sourcePath, CancellationToken cancellationToken = default) =>
        Task.FromResult(HookVerdict.Continue);

    /// <inheritdoc />
    public Task RunPostAsync(WalFileInfo wal, string storedPath, string? error, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}

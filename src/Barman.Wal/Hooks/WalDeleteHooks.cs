using Barman.Wal.Catalog;
using Serilog;

namespace Barman.Wal.Hooks;

/// <summary>The wal-delete hook scripts of one server.</summary>
internal sealed class WalDeleteHooks(
    HookRunner runner, HookScript? pre, HookScript? preRetry, HookScript? postRetry, HookScript? post, ILogger logger) : IWalDeleteHooks
{
    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.storage");

    /// <inheritdoc />
    public bool AnyConfigured => pre is not null || preRetry is not null || postRetry is not null || post is not null;

    /// <inheritdoc />
    public async Task RunPreAsync(WalFileInfo wal, string path, CancellationToken cancellationToken = default)
    {
        if (pre is not null)
            await runner.RunAsync(pre, wal, path, null, cancellationToken).ConfigureAwait(false);
        if (preRetry is null)
            return;
        var status = await runner.RunAsync(preRetry, wal, path, null, cancellationToken).ConfigureAwait(false);
        if (status == HookExitCodes.AbortStop)
            throw new RetryHookAbortedException(preRetry.Option, preRetry.Command);
    }

    /// <inheritdoc />
    public async Task RunPostAsync(WalFileInfo wal, string path, string? error, CancellationToken cancellationToken = default)
    {
        if (postRetry is not null)
        {
            var status = await runner.RunAsync(postRetry, wal, path, error, cancellationToken).ConfigureAwait(false);
            if (status == HookExitCodes.AbortStop)
                _log.Warning("Ignoring stop request after receiving abort (exit code 63) from post-wal-delete retry hook script: {Command}", postRetry.Command);
        }

        if (post is not null)
            await runner.RunAsync(post, wal, path, error, cancellationToken).ConfigureAwait(false);
    }
}

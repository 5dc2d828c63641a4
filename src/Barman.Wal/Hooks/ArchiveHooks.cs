using Barman.Wal.Catalog;
using Serilog;

namespace Barman.Wal.Hooks;

/// <summary>
/// The archive hook bracket of one server (spec: hooks-encryption): <c>pre_archive_script</c>,
/// <c>pre_archive_retry_script</c>, then after storing <c>post_archive_retry_script</c>, <c>post_archive_script</c>.
/// </summary>
internal sealed class ArchiveHooks(
    HookRunner runner, HookScript? pre, HookScript? preRetry, HookScript? postRetry, HookScript? post, ILogger logger) : IArchiveHooks
{
    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.wal_archiver");

    /// <inheritdoc />
    public bool AnyConfigured => pre is not null || preRetry is not null || postRetry is not null || post is not null;

    /// <inheritdoc />
    public async Task<HookVerdict> RunPreAsync(WalFileInfo wal, string sourcePath, CancellationToken cancellationToken = default)
    {
        // A normal hook never changes the outcome, whatever it answers.
        if (pre is not null)
            await runner.RunAsync(pre, wal, sourcePath, null, cancellationToken).ConfigureAwait(false);
        if (preRetry is null)
            return HookVerdict.Continue;
        var status = await runner.RunAsync(preRetry, wal, sourcePath, null, cancellationToken).ConfigureAwait(false);
        return status == HookExitCodes.AbortStop
            ? new HookVerdict(true, RetryHookAbortedException.Reason(preRetry.Option, preRetry.Command))
            : HookVerdict.Continue;
    }

    /// <inheritdoc />
    public async Task RunPostAsync(WalFileInfo wal, string storedPath, string? error, CancellationToken cancellationToken = default)
    {
        if (postRetry is not null)
        {
            var status = await runner.RunAsync(postRetry, wal, storedPath, error, cancellationToken).ConfigureAwait(false);
            if (status == HookExitCodes.AbortStop)
                _log.Warning("Ignoring stop request after receiving abort (exit code 63) from post-archive retry hook script: {Command}", postRetry.Command);
        }

        // Barman drops the error for the normal post hook: only the retry script sees it.
        if (post is not null)
            await runner.RunAsync(post, wal, storedPath, null, cancellationToken).ConfigureAwait(false);
    }
}

using Barman.Wal.Configuration;
using Serilog;

namespace Barman.Wal.Hooks;

/// <summary>
/// Builds a server's archive and wal-delete hook brackets from the <c>*_archive_script</c> and
/// <c>*_wal_delete_script</c> options (spec: hooks-encryption, config §6.5).
/// </summary>
public sealed class HookScriptsFactory(BarmanConfiguration configuration, ILogger logger, TimeProvider clock)
    : IArchiveHooksFactory, IWalDeleteHooksFactory
{
    /// <summary>The Barman version barman-wal emulates, the default <c>BARMAN_VERSION</c>.</summary>
    public const string EmulatedBarmanVersion = "3.18.0";

    /// <summary>Environment variable that overrides <c>BARMAN_VERSION</c> for the hook scripts.</summary>
    public const string VersionVariable = "BARMAN_WAL_BARMAN_VERSION";

    /// <inheritdoc />
    public IArchiveHooks Create(ServerOptions server)
    {
        var pre = HookScript.For("pre_archive_script", server.PreArchiveScript);
        var preRetry = HookScript.For("pre_archive_retry_script", server.PreArchiveRetryScript);
        var postRetry = HookScript.For("post_archive_retry_script", server.PostArchiveRetryScript);
        var post = HookScript.For("post_archive_script", server.PostArchiveScript);
        if (pre is null && preRetry is null && postRetry is null && post is null)
            return NoArchiveHooks.Instance;
        return new ArchiveHooks(Runner(server), pre, preRetry, postRetry, post, logger);
    }

    /// <inheritdoc />
    public IWalDeleteHooks CreateDeleteHooks(ServerOptions server)
    {
        var pre = HookScript.For("pre_wal_delete_script", server.PreWalDeleteScript);
        var preRetry = HookScript.For("pre_wal_delete_retry_script", server.PreWalDeleteRetryScript);
        var postRetry = HookScript.For("post_wal_delete_retry_script", server.PostWalDeleteRetryScript);
        var post = HookScript.For("post_wal_delete_script", server.PostWalDeleteScript);
        if (pre is null && preRetry is null && postRetry is null && post is null)
            return NoWalDeleteHooks.Instance;
        return new WalDeleteHooks(Runner(server), pre, preRetry, postRetry, post, logger);
    }

    private HookRunner Runner(ServerOptions server)
    {
        var version = Environment.GetEnvironmentVariable(VersionVariable) is { Length: > 0 } v ? v : EmulatedBarmanVersion;
        return new HookRunner(new HookContext(server.Name, configuration.ConfigFilePath, version, server.PathPrefix), logger, clock);
    }
}

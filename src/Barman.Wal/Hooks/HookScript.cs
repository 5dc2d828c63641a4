namespace Barman.Wal.Hooks;

/// <summary>One configured hook script (spec: hooks-encryption §1).</summary>
/// <param name="Option">The option it comes from (<c>pre_archive_retry_script</c>).</param>
/// <param name="HookName"><c>BARMAN_HOOK</c>: the name without phase (<c>archive_retry_script</c>).</param>
/// <param name="Phase"><c>pre</c> or <c>post</c>.</param>
/// <param name="IsRetry">True for the retry variants.</param>
/// <param name="Command">The shell command line, passed to <c>/bin/sh -c</c> unchanged.</param>
internal sealed record HookScript(string Option, string HookName, string Phase, bool IsRetry, string Command)
{
    /// <summary>The script for <paramref name="option"/> (e.g. <c>pre_archive_retry_script</c>), null when unset or empty.</summary>
    public static HookScript? For(string option, string? command)
    {
        if (string.IsNullOrEmpty(command))
            return null;
        var phase = option.StartsWith("pre_", StringComparison.Ordinal) ? "pre" : "post";
        var hookName = option[(phase.Length + 1)..];
        return new HookScript(option, hookName, phase, hookName.EndsWith("_retry_script", StringComparison.Ordinal), command);
    }
}

using Barman.Wal.Errors;

namespace Barman.Wal.Hooks;

/// <summary>A pre retry hook script answered 63 (ABORT_STOP): the operation it guards does not happen.</summary>
public sealed class RetryHookAbortedException(string option, string command) : BarmanWalException(Reason(option, command))
{
    /// <summary>Barman's abort text: <c>Abort '&lt;option&gt;' retry hook script (&lt;command&gt;, exit code: 63)</c>.</summary>
    public static string Reason(string option, string command) =>
        $"Abort '{option}' retry hook script ({command}, exit code: {HookExitCodes.AbortStop})";
}

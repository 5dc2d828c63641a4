namespace Barman.Wal.Hooks;

/// <summary>The exit statuses retry hook scripts answer with (spec: hooks-encryption §4).</summary>
public static class HookExitCodes
{
    /// <summary>Success: go on.</summary>
    public const int Success = 0;

    /// <summary>ABORT_CONTINUE: stop retrying, Barman resumes as after a success.</summary>
    public const int AbortContinue = 62;

    /// <summary>ABORT_STOP: stop retrying; a pre hook aborts the operation.</summary>
    public const int AbortStop = 63;
}

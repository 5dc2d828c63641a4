namespace Barman.Wal.Hooks;

/// <summary>What the pre-archive hooks decided for one WAL file.</summary>
/// <param name="AbortStop">True when <c>pre_archive_retry_script</c> exited 63 (ABORT_STOP).</param>
/// <param name="Reason">The reason logged with an abort-stop.</param>
public readonly record struct HookVerdict(bool AbortStop, string? Reason)
{
    /// <summary>Go on archiving the file.</summary>
    public static HookVerdict Continue => default;
}

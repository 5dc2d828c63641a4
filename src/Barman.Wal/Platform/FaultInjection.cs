using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Barman.Wal.Platform;

/// <summary>
/// The crash-test seam: <c>BARMAN_WAL_FAULT=&lt;step&gt;[:&lt;n&gt;]</c> makes the process SIGKILL itself
/// the <c>n</c>-th time (default 1) it reaches the named step. Used by the reliability tests and
/// <c>bench/reliability.sh</c> to prove that a crash at any step loses no WAL (docs/reliability.md).
/// With <c>BARMAN_WAL_FAULT_ACTION=eio</c> the step throws an <see cref="IOException"/> "Input/output
/// error" instead: a failing disk rather than a crash.
/// </summary>
/// <remarks>
/// Read once at start-up; when the variable is unset <see cref="At"/> is one static field test.
/// Steps: <c>after-stage</c>, <c>before-fsync</c>, <c>after-write</c>, <c>after-compress</c>,
/// <c>after-link</c>, <c>mid-rename</c> (link + unlink fallback only), <c>after-rename</c>, <c>after-commit</c>, <c>after-catalog-append</c>,
/// <c>before-source-removal</c>, <c>after-source-removal</c>, <c>after-errors-move</c>, <c>mid-upload</c>,
/// <c>put-wal-mid-stream</c> (each 128 KiB block put-wal writes), <c>put-wal-after-rename</c>,
/// <c>read-source</c> (a source opened by the header gate or the growth screen).
/// </remarks>
public static class FaultInjection
{
    /// <summary>The name of the environment variable.</summary>
    public const string Variable = "BARMAN_WAL_FAULT";

    /// <summary>The name of the variable choosing the fault: <c>kill</c> (default) or <c>eio</c>.</summary>
    public const string ActionVariable = "BARMAN_WAL_FAULT_ACTION";

    private static readonly string? Step;
    private static readonly int Target = 1;
    private static readonly bool ThrowsIoError;
    private static int _hits;

    static FaultInjection()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
            return;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        Step = (colon < 0 ? value : value[..colon]).Trim();
        ThrowsIoError = string.Equals(Environment.GetEnvironmentVariable(ActionVariable)?.Trim(), "eio", StringComparison.OrdinalIgnoreCase);
        if (colon >= 0 && int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            Target = n;
    }

    /// <summary>True when a fault is armed (the variable is set).</summary>
    public static bool Armed => Step is not null;

    /// <summary>Marks a step; kills the process with SIGKILL (or throws EIO) when it is the armed step's n-th hit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void At(string step)
    {
        if (Step is not null)
            Hit(step);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Hit(string step)
    {
        if (!string.Equals(step, Step, StringComparison.Ordinal) || Interlocked.Increment(ref _hits) != Target)
            return;
        if (ThrowsIoError)
            throw new IOException($"Input/output error (fault injected at {step})", 5 /* EIO */);
        using var self = Process.GetCurrentProcess();
        self.Kill(); // SIGKILL on Unix: no finally blocks, no flush — as a power cut of the process
        Thread.Sleep(Timeout.Infinite);
    }
}

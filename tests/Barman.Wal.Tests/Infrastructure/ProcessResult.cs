namespace Barman.Wal.Tests.Infrastructure;

/// <summary>What a finished (or timed-out) child process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>Stdout split into lines, without the trailing empty line.</summary>
    public IReadOnlyList<string> StdoutLines => SplitLines(Stdout);

    /// <summary>Stderr split into lines, without the trailing empty line.</summary>
    public IReadOnlyList<string> StderrLines => SplitLines(Stderr);

    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}

using System.Globalization;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// How long the reliability runs are: CI uses the defaults; <c>bench/reliability.sh</c> sets
/// <c>BARMAN_WAL_RELIABILITY_ITERATIONS</c> and <c>BARMAN_WAL_RELIABILITY_REPORT</c> (a TSV file each
/// scenario appends one row to: scenario, runs, faults injected, WAL lost, corrupt, problems).
/// </summary>
internal static class ReliabilitySettings
{
    private static readonly Lock Gate = new();

    public static int Iterations { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("BARMAN_WAL_RELIABILITY_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    public static string? ReportPath { get; } = Environment.GetEnvironmentVariable("BARMAN_WAL_RELIABILITY_REPORT") is { Length: > 0 } p ? p : null;

    /// <summary>Appends one row to the report, when one is asked for.</summary>
    public static void Report(string scenario, int runs, int faults, IReadOnlyCollection<string> problems)
    {
        if (ReportPath is null)
            return;
        var lost = problems.Count(p => p.Contains("LOST", StringComparison.Ordinal));
        var corrupt = problems.Count(p => p.Contains("differs", StringComparison.Ordinal) || p.Contains("changed", StringComparison.Ordinal));
        var detail = problems.Count == 0 ? "-" : string.Join("; ", problems.Take(3)).Replace('\t', ' ');
        lock (Gate)
        {
            File.AppendAllText(ReportPath, string.Create(CultureInfo.InvariantCulture,
                $"{scenario}\t{runs}\t{faults}\t{lost}\t{corrupt}\t{problems.Count}\t{detail}\n"));
        }
    }
}

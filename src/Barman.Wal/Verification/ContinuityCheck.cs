using System.Globalization;
using Barman.Wal.Xlog;

namespace Barman.Wal.Verification;

/// <summary>
/// Continuity of the archive from its names alone: gaps per timeline, history files present for every
/// timeline above 1 and agreeing with the archived WAL, <c>.partial</c> and <c>.backup</c> files accounted
/// for. Pure: no I/O.
/// </summary>
public static class ContinuityCheck
{
    /// <summary>Checks <paramref name="names"/> (already limited by <c>--since</c>/<c>--timeline</c>).</summary>
    /// <param name="names">Every archived WAL name in range: segments, partials, backup labels, history files.</param>
    /// <param name="histories">Parsed history files by timeline (a history file present but unparsable is absent here).</param>
    /// <param name="numbering">The server's segment numbering.</param>
    public static ContinuityResult Check(
        IEnumerable<WalName> names, IReadOnlyDictionary<uint, TimelineHistory> histories, SegmentNumbering numbering)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(numbering);
        var segments = new SortedDictionary<uint, SortedSet<ulong>>();
        var partials = new List<WalName>();
        var labels = new List<WalName>();
        foreach (var name in names)
        {
            switch (name.Kind)
            {
                case WalFileKind.Segment:
                    if (!segments.TryGetValue(name.Timeline, out var set))
                        segments[name.Timeline] = set = [];
                    set.Add(numbering.Number(name));
                    break;
                case WalFileKind.Partial:
                    partials.Add(name);
                    break;
                case WalFileKind.BackupLabel:
                    labels.Add(name);
                    break;
            }
        }

        var problems = new List<WalProblem>();
        var ranges = new List<TimelineRange>();
        foreach (var (timeline, numbers) in segments)
        {
            ranges.Add(new TimelineRange(timeline, numbering.Name(timeline, numbers.Min), numbering.Name(timeline, numbers.Max), numbers.Count));
            AddGaps(problems, numbering, timeline, numbers.Min, numbers.Max, numbers, null);
        }

        var missingHistory = false;
        foreach (var (timeline, numbers) in segments)
        {
            if (timeline <= 1)
                continue;
            if (!histories.TryGetValue(timeline, out var history) || history.Creation is not { } creation)
            {
                missingHistory = true;
                problems.Add(new WalProblem(WalProblemKind.MissingHistory, WalName.HistoryName(timeline), Text(
                    $"timeline {timeline} has archived WAL but its history file {WalName.HistoryName(timeline)} is missing or unreadable: recovery cannot follow the switch to it")));
                continue;
            }

            CheckSwitch(problems, numbering, timeline, numbers, creation, segments);
        }

        foreach (var partial in partials)
        {
            var number = numbering.Number(partial);
            var accounted = histories.Values.Any(h => h.Creation is { } c && c.Parent == partial.Timeline && numbering.NumberOf(c.SwitchPoint) == number);
            if (!accounted && !missingHistory)
            {
                problems.Add(new WalProblem(WalProblemKind.UnaccountedPartial, partial.Name,
                    "no timeline switch in the history files happens in this partial segment"));
            }
        }

        foreach (var label in labels)
        {
            var number = numbering.Number(label);
            if (segments.TryGetValue(label.Timeline, out var numbers) && number > numbers.Max)
            {
                problems.Add(new WalProblem(WalProblemKind.BackupWalMissing, label.Name, Text(
                    $"the backup starts in segment {numbering.Name(label.Timeline, number)}, after the last archived segment of timeline {label.Timeline}")));
            }
        }

        return new ContinuityResult(problems, ranges, partials.Count, labels.Count);
    }

    private static void CheckSwitch(
        List<WalProblem> problems, SegmentNumbering numbering, uint timeline, SortedSet<ulong> numbers,
        TimelineSwitch creation, SortedDictionary<uint, SortedSet<ulong>> segments)
    {
        var switchSegment = numbering.NumberOf(creation.SwitchPoint);
        var lsn = WalHeaderValidator.Lsn(creation.SwitchPoint);
        if (numbers.Min < switchSegment)
        {
            problems.Add(new WalProblem(WalProblemKind.TimelineSwitch, numbering.Name(timeline, numbers.Min), Text(
                $"timeline {timeline} has this segment before its switch point {lsn} from timeline {creation.Parent} ({WalName.HistoryName(timeline)})")));
            return;
        }

        if (!segments.TryGetValue(creation.Parent, out var parent) || parent.Min >= switchSegment)
            return;
        // the parent must reach the segment before the switch; the new timeline must start at the switch segment
        if (parent.Max + 1 < switchSegment)
        {
            AddGaps(problems, numbering, creation.Parent, parent.Max + 1, switchSegment - 1, parent,
                Text($" before the switch to timeline {timeline} at {lsn}"));
        }

        if (numbers.Min > switchSegment)
        {
            AddGaps(problems, numbering, timeline, switchSegment, numbers.Min - 1, numbers,
                Text($" after the switch from timeline {creation.Parent} at {lsn}"));
        }
    }

    private static void AddGaps(
        List<WalProblem> problems, SegmentNumbering numbering, uint timeline, ulong from, ulong to, SortedSet<ulong> present, string? context)
    {
        var expected = from;
        foreach (var n in present.GetViewBetween(from, to))
        {
            if (n > expected)
                Add(expected, n - 1);
            expected = n + 1;
        }

        if (expected <= to)
            Add(expected, to);

        void Add(ulong first, ulong last)
        {
            var count = last - first + 1;
            var range = count == 1
                ? numbering.Name(timeline, first)
                : $"{numbering.Name(timeline, first)} to {numbering.Name(timeline, last)}";
            problems.Add(new WalProblem(WalProblemKind.Gap, numbering.Name(timeline, first), Text(
                $"missing {range} ({count} segment{(count == 1 ? "" : "s")}) on timeline {timeline}{context}")));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What <see cref="ContinuityCheck"/> found.</summary>
public sealed record ContinuityResult(
    IReadOnlyList<WalProblem> Problems, IReadOnlyList<TimelineRange> Timelines, int Partials, int BackupLabels);

/// <summary>The first and last archived segment of a timeline and how many segments it has.</summary>
public sealed record TimelineRange(uint Timeline, string First, string Last, int Segments);

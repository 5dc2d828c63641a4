using System.Globalization;

namespace Barman.Wal.Verification;

/// <summary>
/// A parsed <c>.history</c> file: one entry per ancestor, <c>parentTLI TAB switchpoint TAB reason</c>;
/// the last entry is the switch that created the timeline.
/// </summary>
public sealed record TimelineHistory(uint Timeline, IReadOnlyList<TimelineSwitch> Switches)
{
    /// <summary>The switch that created <see cref="Timeline"/>, or null for an empty file.</summary>
    public TimelineSwitch? Creation => Switches.Count > 0 ? Switches[^1] : null;

    /// <summary>Parses the text; null when a non-comment line is not <c>tli TAB X/X</c>.</summary>
    public static TimelineHistory? TryParse(uint timeline, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var switches = new List<TimelineSwitch>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
                || !TryParseLsn(parts[1], out var lsn))
                return null;
            switches.Add(new TimelineSwitch(parent, lsn));
        }

        return new TimelineHistory(timeline, switches);
    }

    /// <summary>Parses PostgreSQL's <c>X/X</c> LSN notation.</summary>
    public static bool TryParseLsn(string text, out ulong lsn)
    {
        lsn = 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
            return false;
        lsn = ((ulong)high << 32) | low;
        return true;
    }
}

/// <summary>One history entry: the parent timeline and the LSN where the child branched off.</summary>
public sealed record TimelineSwitch(uint Parent, ulong SwitchPoint);

using System.Globalization;

namespace Barman.Wal.Output;

/// <summary>
/// Barman's human-readable interval (spec: status §7): <c>N day(s)</c>, <c>N hour(s)</c>, <c>N minute(s)</c>,
/// <c>N second(s)</c> joined by <c>, </c>, zero parts left out, singular for 1, fractions of a second dropped,
/// <c>less than one second</c> when nothing is left. A negative interval is rendered by its magnitude.
/// </summary>
public static class HumanInterval
{
    /// <summary>Renders <paramref name="interval"/>, e.g. <c>2 days, 1 hour, 51 minutes, 57 seconds</c>.</summary>
    public static string Format(TimeSpan interval)
    {
        var total = interval.Duration();
        var parts = new List<string>(4);
        Add(parts, total.Days, "day");
        Add(parts, total.Hours, "hour");
        Add(parts, total.Minutes, "minute");
        Add(parts, total.Seconds, "second");
        return parts.Count == 0 ? "less than one second" : string.Join(", ", parts);
    }

    private static void Add(List<string> parts, int value, string unit)
    {
        if (value != 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value} {unit}{(value == 1 ? "" : "s")}"));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Barman.Wal.Tests.Status;

/// <summary>
/// A strict reader of the Prometheus text format as node_exporter's textfile collector needs it: every family
/// has HELP then TYPE gauge before its samples, each sample is <c>name{server="…"} value</c>, LF endings.
/// </summary>
internal static partial class PrometheusText
{
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{server="(?<server>(?:[^"\\\n]|\\[\\"n])*)"\} (?<value>-?[0-9.]+(?:e[+-]?[0-9]+)?)$""")]
    private static partial Regex Sample();

    /// <summary>Parses <paramref name="text"/> into (metric, server) → value; throws on anything malformed.</summary>
    public static Dictionary<(string Metric, string Server), double> Parse(string text)
    {
        text.Should().EndWith("\n").And.NotContain("\r");
        var result = new Dictionary<(string, string), double>();
        string? help = null, typed = null;
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                help = line.Split(' ')[2];
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                parts[2].Should().Be(help, "TYPE follows its HELP");
                parts[3].Should().Be("gauge");
                parts[2].Should().StartWith("barman_wal_");
                typed = parts[2];
                continue;
            }

            var match = Sample().Match(line);
            match.Success.Should().BeTrue($"'{line}' is a sample line");
            match.Groups["name"].Value.Should().Be(typed, "a sample belongs to the family just declared");
            var server = match.Groups["server"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            result.Add((typed!, server), double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
        }

        return result;
    }
}

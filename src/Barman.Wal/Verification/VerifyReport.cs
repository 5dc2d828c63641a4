using System.Globalization;
using System.Text;

namespace Barman.Wal.Verification;

/// <summary>The console lines and JSON object of verify-wal (formats documented in docs/monitoring.md).</summary>
public static class VerifyReport
{
    /// <summary><c>server: kind: name: message</c> (the name is left out when the message starts with it).</summary>
    public static string Line(string server, WalProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Message.Contains(problem.Name, StringComparison.Ordinal)
            ? $"{server}: {problem.KindName}: {problem.Message}"
            : $"{server}: {problem.KindName}: {problem.Name}: {problem.Message}";
    }

    /// <summary>
    /// <c>server: OK|N problem(s), F files checked (C read back), timeline T FIRST to LAST (S segments)…</c>.
    /// </summary>
    public static string Summary(ServerVerification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder()
            .Append(result.Server).Append(": ")
            .Append(result.Problems.Count == 0 ? "OK" : Plural(result.Problems.Count, "problem"))
            .Append(CultureInfo.InvariantCulture, $", {Plural(result.Files, "file")} checked")
            .Append(result.ContentRead > 0 ? $" ({result.ContentRead.ToString(CultureInfo.InvariantCulture)} read back)" : " (content not read)");
        foreach (var timeline in result.Timelines)
            text.Append(CultureInfo.InvariantCulture, $", timeline {timeline.Timeline} {timeline.First} to {timeline.Last} ({Plural(timeline.Segments, "segment")})");
        return text.ToString();
    }

    /// <summary>The JSON object of one server (snake_case keys).</summary>
    public static Dictionary<string, object?> ToJson(ServerVerification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["status"] = result.Status,
            ["error"] = result.Error,
            ["files"] = result.Files,
            ["content_read"] = result.ContentRead,
            ["system_identifier"] = result.SystemIdentifier?.ToString(CultureInfo.InvariantCulture),
            ["problems"] = result.Problems.Select(p => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["kind"] = p.KindName,
                ["name"] = p.Name,
                ["message"] = p.Message,
            }).ToList(),
            ["timelines"] = result.Timelines.Select(t => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["timeline"] = t.Timeline,
                ["first"] = t.First,
                ["last"] = t.Last,
                ["segments"] = t.Segments,
            }).ToList(),
        };
    }

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}

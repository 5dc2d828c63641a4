using System.Globalization;
using System.Text.RegularExpressions;
using Barman.Wal.Configuration;

namespace Barman.Wal.Status;

/// <summary>status's <c>Retention policies</c> value (spec: retention §8): an invalid policy is "not enforced".</summary>
public static partial class RetentionText
{
    [GeneratedRegex(@"^\s*REDUNDANCY\s+(\d+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Redundancy();

    [GeneratedRegex(@"^\s*RECOVERY\s+WINDOW\s+OF\s+(\d+)\s+(DAY|WEEK|MONTH)S?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Window();

    /// <summary><c>enforced (mode: auto, retention: …, WAL retention: MAIN)</c> or <c>not enforced</c>.</summary>
    public static string Of(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var policy = Normalise(server.Values["retention_policy"] as string);
        return policy is null ? "not enforced" : $"enforced (mode: auto, retention: {policy}, WAL retention: MAIN)";
    }

    /// <summary>The canonical policy text, or null when unset or invalid.</summary>
    public static string? Normalise(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (Redundancy().Match(value) is { Success: true } r)
            return string.Create(CultureInfo.InvariantCulture, $"REDUNDANCY {long.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture)}");
        if (Window().Match(value) is { Success: true } w)
            return string.Create(CultureInfo.InvariantCulture,
                $"RECOVERY WINDOW OF {long.Parse(w.Groups[1].Value, CultureInfo.InvariantCulture)} {w.Groups[2].Value.ToUpperInvariant()}S");
        return null;
    }
}

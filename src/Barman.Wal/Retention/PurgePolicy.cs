using System.Globalization;
using System.Text.RegularExpressions;
using Barman.Wal.Configuration;
using Barman.Wal.Xlog;

namespace Barman.Wal.Retention;

/// <summary>
/// An explicit WAL purge policy for archives without Barman backups (barman-wal only): keep the last
/// <see cref="KeepDays"/> days, keep the newest <see cref="KeepSize"/> bytes, or remove what sorts before
/// <see cref="Before"/>. When several are set a file goes only when every one lets it go.
/// </summary>
/// <param name="KeepDays">Keep WAL whose catalogued time is within this many days (from the oldest such WAL on).</param>
/// <param name="KeepSize">Keep the newest WAL up to this many stored bytes.</param>
/// <param name="Before">Remove WAL whose name sorts before this segment name.</param>
public sealed partial record PurgePolicy(long? KeepDays, long? KeepSize, string? Before)
{
    /// <summary>No policy at all.</summary>
    public static PurgePolicy None { get; } = new(null, null, null);

    /// <summary>True when no option is set: nothing may be purged without backups.</summary>
    public bool IsEmpty => KeepDays is null && KeepSize is null && Before is null;

    /// <summary>The command line's options, else the server's <c>purge_wal_keep_days</c>/<c>purge_wal_keep_size</c>.</summary>
    public PurgePolicy WithServerDefaults(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return IsEmpty ? new PurgePolicy(server.PurgeWalKeepDays, server.PurgeWalKeepSize, null) : this;
    }

    /// <summary>A human description, e.g. <c>keep 7 days, keep 50.0 GiB</c>.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        KeepDays is { } d ? $"keep {d} day{(d == 1 ? string.Empty : "s")}" : null,
        KeepSize is { } s ? $"keep {Checks.CheckDecisions.PrettySize(s)}" : null,
        Before is { } b ? $"before {b}" : null,
    }.Where(p => p is not null));

    /// <summary>Validates the command-line values; returns the error line or null.</summary>
    public static string? Validate(long? keepDays, string? before)
    {
        if (keepDays is < 0)
            return $"argument --keep-days: '{keepDays}' is not a valid non-negative integer";
        if (before is not null && !WalName.IsWalFile(before))
            return $"argument --before: '{before}' is not a WAL segment name (24 hexadecimal digits)";
        return null;
    }

    /// <summary>
    /// Parses <c>--keep-size</c>: digits with an optional unit <c>k</c>, <c>M</c>, <c>G</c>, <c>T</c> (1000-based) or
    /// <c>Ki</c>, <c>Mi</c>, <c>Gi</c>, <c>Ti</c> (1024-based), and an optional trailing <c>B</c>: <c>50GB</c>, <c>512MiB</c>.
    /// </summary>
    public static long? ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = SizeRegex().Match(text.Trim());
        if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return null;
        long multiplier = m.Groups[2].Value.ToUpperInvariant() switch
        {
            "K" => 1000L,
            "KI" => 1L << 10,
            "M" => 1000_000L,
            "MI" => 1L << 20,
            "G" => 1000_000_000L,
            "GI" => 1L << 30,
            "T" => 1000_000_000_000L,
            "TI" => 1L << 40,
            _ => 1L,
        };
        return n > long.MaxValue / multiplier ? null : n * multiplier;
    }

    [GeneratedRegex(@"^([0-9]+)\s*(k|K|Ki|KI|M|Mi|MI|G|Gi|GI|T|Ti|TI)?B?$")]
    private static partial Regex SizeRegex();
}

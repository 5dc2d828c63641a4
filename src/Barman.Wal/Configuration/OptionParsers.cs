using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Barman.Wal.Configuration;

/// <summary>Barman's value parsers, with the reason texts its warnings show.</summary>
internal static partial class OptionParsers
{
    public const string BooleanReason =
        "Invalid boolean representation (must be one in: true|t|yes|1|on | false|f|no|0|off)";

    public const string SlotNameReason =
        "Replication slot names may only contain lower case letters, numbers, and the underscore character.";

    /// <summary>WAL compression names, in Barman's registry order.</summary>
    public static readonly IReadOnlyList<string> Compressions =
        ["gzip", "bzip2", "pygzip", "pybzip2", "pigz", "xz", "zstd", "lz4", "snappy", "custom"];

    public static readonly IReadOnlyList<string> BackupMethods =
        ["rsync", "postgres", "local-rsync", "snapshot", "local-to-cloud"];

    private static readonly string[] CompressionLevels = ["low", "medium", "high"];
    private static readonly string[] BackupCompressions = ["gzip", "lz4", "zstd", "none"];
    private static readonly string[] BackupOptionValues = ["exclusive_backup", "concurrent_backup", "external_configuration"];
    private static readonly string[] RecoveryOptionValues = ["get-wal"];

    public static ParseOutcome Parse(OptionKind kind, string value, string key, string source) => kind switch
    {
        OptionKind.Text => value.Length == 0 ? ParseOutcome.Empty : ParseOutcome.Of(value),
        OptionKind.Bool => ParseBoolean(value) is { } b ? ParseOutcome.Of(b) : ParseOutcome.Invalid(BooleanReason),
        OptionKind.Int => ParsePythonInt(value, out var i, out var reason) ? ParseOutcome.Of(i) : ParseOutcome.Invalid(reason),
        OptionKind.Interval => ParseInterval(value),
        OptionKind.Size => ParseSize(value),
        OptionKind.Compression => ParseCompression(value),
        OptionKind.CompressionLevel => ParseCompressionLevel(value),
        OptionKind.Encryption => ParseEncryption(value),
        OptionKind.SlotName => SlotNameRegex().IsMatch(value.ToLowerInvariant())
            ? ParseOutcome.Of(value.ToLowerInvariant())
            : ParseOutcome.Invalid(SlotNameReason),
        OptionKind.CreateSlot => OneOf(value, ["manual", "auto"], "Invalid value (use 'manual' or 'auto')"),
        OptionKind.BackupMethod => OneOf(value, BackupMethods,
            "Invalid value (must be one in: '" + string.Join("', '", BackupMethods) + "')"),
        OptionKind.ReuseBackup => OneOf(value, ["copy", "link", "off"], "Invalid value (use 'copy', 'link' or 'off')"),
        OptionKind.BackupCompression => OneOf(value, BackupCompressions,
            $"Invalid value '{value}'(must be one in: ['gzip', 'lz4', 'zstd', 'none'])"),
        OptionKind.BackupCompressionFormat => OneOf(value, ["plain", "tar"], "Invalid value (must be either `plain` or `tar`)"),
        OptionKind.BackupCompressionLocation => OneOf(value, ["client", "server"], "Invalid value (must be either `client` or `server`)"),
        OptionKind.BackupOptions => ParseCsv(value, key, source, BackupOptionValues, true),
        OptionKind.RecoveryOptions => ParseCsv(value, key, source, RecoveryOptionValues, false),
        OptionKind.StagingPath => value.StartsWith('/')
            ? ParseOutcome.Of(value)
            : ParseOutcome.Invalid($"Invalid value : '{value}' (must be an absolute path)"),
        OptionKind.SnapshotDisks => ParseSnapshotDisks(value),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Barman's boolean words (any case, surrounding blanks allowed); null if none.</summary>
    public static bool? ParseBoolean(string value)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "true" or "t" or "yes" or "1" or "on":
                return true;
            case "false" or "f" or "no" or "0" or "off":
                return false;
            default:
                return null;
        }
    }

    /// <summary>Python's <c>int(str)</c>: blanks around, one sign, digits with single <c>_</c> between.</summary>
    public static bool ParsePythonInt(string value, out long result, out string reason)
    {
        result = 0;
        reason = $"invalid literal for int() with base 10: {IniFile.PyRepr(value)}";
        var m = PythonIntRegex().Match(value);
        if (!m.Success)
        {
            return false;
        }

        var digits = m.Groups["digits"].Value.Replace("_", string.Empty, StringComparison.Ordinal);
        var big = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (m.Groups["sign"].Value == "-")
        {
            big = -big;
        }

        if (big > long.MaxValue || big < long.MinValue)
        {
            reason = $"integer out of range: {IniFile.PyRepr(value)}";
            return false;
        }

        result = (long)big;
        return true;
    }

    /// <summary>Formats a Python <c>timedelta</c> the way <c>str()</c> does.</summary>
    public static string FormatTimedelta(TimeSpan span)
    {
        var days = span.Days;
        var rest = span - TimeSpan.FromDays(days);
        var clock = string.Create(CultureInfo.InvariantCulture, $"{(int)rest.TotalHours}:{rest.Minutes:00}:{rest.Seconds:00}");
        return days == 0 ? clock : string.Create(CultureInfo.InvariantCulture, $"{days} day{(Math.Abs(days) == 1 ? "" : "s")}, {clock}");
    }

    private static ParseOutcome ParseInterval(string value)
    {
        if (value.Length == 0)
        {
            return ParseOutcome.Null;
        }

        var m = IntervalRegex().Match(value);
        if (!m.Success)
        {
            return ParseOutcome.Invalid($"Invalid value for a time interval {value}");
        }

        if (!long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000_000)
        {
            return ParseOutcome.Invalid($"Invalid value for a time interval {value}");
        }

        var span = char.ToLowerInvariant(m.Groups[2].Value[0]) switch
        {
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            'm' => TimeSpan.FromDays(31 * n),
            _ => TimeSpan.FromHours(n),
        };
        return ParseOutcome.Of(span);
    }

    private static ParseOutcome ParseSize(string value)
    {
        if (value.Length == 0)
        {
            return ParseOutcome.Null;
        }

        var m = SizeRegex().Match(value);
        if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return ParseOutcome.Invalid($"Invalid value for a number {value}");
        }

        long multiplier = m.Groups[2].Value switch
        {
            "k" => 1000L,
            "Ki" => 1L << 10,
            "M" => 1000_000L,
            "Mi" => 1L << 20,
            "G" => 1000_000_000L,
            "Gi" => 1L << 30,
            "T" => 1000_000_000_000L,
            "Ti" => 1L << 40,
            _ => 1L,
        };
        try
        {
            return ParseOutcome.Of(checked(n * multiplier));
        }
        catch (OverflowException)
        {
            return ParseOutcome.Invalid($"Invalid value for a number {value}");
        }
    }

    private static ParseOutcome ParseCompression(string value)
    {
        if (value.Length == 0)
        {
            return ParseOutcome.Empty;
        }

        var lower = value.ToLowerInvariant();
        return Compressions.Contains(lower)
            ? ParseOutcome.Of(lower)
            : ParseOutcome.Invalid($"Invalid value: '{lower}' (must be one in: {string.Join(", ", Compressions)})");
    }

    private static ParseOutcome ParseCompressionLevel(string value)
    {
        if (value.Length == 0)
        {
            return ParseOutcome.Empty;
        }

        var lower = value.ToLowerInvariant();
        var unsigned = lower.TrimStart('-');
        if (unsigned.Length > 0 && unsigned.All(char.IsAsciiDigit))
        {
            // Barman then calls int(): "--5" passes the digit test but int() rejects it
            return ParsePythonInt(lower, out var level, out var reason)
                ? ParseOutcome.Of(level.ToString(CultureInfo.InvariantCulture))
                : ParseOutcome.Invalid(reason);
        }

        return CompressionLevels.Contains(lower)
            ? ParseOutcome.Of(lower)
            : ParseOutcome.Invalid(
                $"Invalid value: '{lower}' (must be one in [{string.Join(", ", CompressionLevels)}] or an acceptable integer)");
    }

    private static ParseOutcome ParseEncryption(string value)
    {
        var lower = value.ToLowerInvariant();
        return lower switch
        {
            "none" => ParseOutcome.Null,
            "gpg" => ParseOutcome.Of(lower),
            _ => ParseOutcome.Invalid($"Invalid encryption value '{lower}'. Allowed values are: none, gpg."),
        };
    }

    private static ParseOutcome OneOf(string value, IReadOnlyList<string> allowed, string reason)
    {
        var lower = value.ToLowerInvariant();
        return allowed.Contains(lower) ? ParseOutcome.Of(lower) : ParseOutcome.Invalid(reason);
    }

    private static ParseOutcome ParseCsv(string value, string key, string source, string[] allowed, bool exclusive)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (value.Length == 0)
        {
            return ParseOutcome.Of(string.Empty);
        }

        foreach (var raw in value.Split(',').Order(StringComparer.Ordinal))
        {
            var item = raw.Trim().ToLowerInvariant();
            if (!allowed.Contains(item))
            {
                return ParseOutcome.Invalid(
                    $"Invalid configuration value '{item}' for key {key} in {source}: Unknown option");
            }

            if (exclusive)
            {
                var other = item switch
                {
                    "exclusive_backup" => "concurrent_backup",
                    "concurrent_backup" => "exclusive_backup",
                    _ => null,
                };
                if (other is not null && set.Contains(other))
                {
                    return ParseOutcome.Invalid(
                        $"Invalid configuration value '{item}' for key {key} in {source}: cannot contain both "
                        + $"'{item}' and '{other}'.Configuration directive ignored.");
                }
            }

            set.Add(item);
        }

        return ParseOutcome.Of(string.Join(',', set));
    }

    private static ParseOutcome ParseSnapshotDisks(string value)
    {
        var disks = value.Split(',');
        return disks.Any(d => d.Length == 0)
            ? ParseOutcome.Invalid("[" + string.Join(", ", disks.Select(IniFile.PyRepr)) + "]")
            : ParseOutcome.Of(string.Join(',', disks));
    }

    [GeneratedRegex(@"^\s*(?<sign>[+-]?)(?<digits>[0-9](?:_?[0-9])*)\s*$")]
    private static partial Regex PythonIntRegex();

    [GeneratedRegex(@"^\s*([0-9]+)\s+(day|month|week|hour)s?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex IntervalRegex();

    [GeneratedRegex(@"^([0-9]+)\s*(k|Ki|M|Mi|G|Gi|T|Ti)?\s*$")]
    private static partial Regex SizeRegex();

    [GeneratedRegex(@"^[0-9a-z_]+$")]
    private static partial Regex SlotNameRegex();
}

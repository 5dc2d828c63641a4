using System.Globalization;

namespace Barman.Wal.Postgres;

/// <summary>PostgreSQL's textual LSN form <c>X/X</c> (upper-case hex) to and from its 64-bit value.</summary>
public static class PostgresLsn
{
    /// <summary>Parses <c>16/B374D848</c>.</summary>
    /// <exception cref="FormatException">Not an LSN.</exception>
    public static ulong Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hi)
            || !uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var lo))
        {
            throw new FormatException($"invalid LSN \"{text}\"");
        }

        return ((ulong)hi << 32) | lo;
    }

    /// <summary>Formats as PostgreSQL does: <c>0/3000000</c>.</summary>
    public static string Format(ulong lsn) =>
        string.Create(CultureInfo.InvariantCulture, $"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}");
}

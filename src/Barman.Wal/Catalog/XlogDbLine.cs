using System.Globalization;
using System.Text;

namespace Barman.Wal.Catalog;

/// <summary>Formats and parses one xlog.db line (spec: xlogdb §2–3).</summary>
public static class XlogDbLine
{
    private const string NoneLiteral = "None";

    /// <summary>
    /// <c>name TAB size TAB time TAB compression [TAB encryption] LF</c>; <paramref name="columns"/> is 4 or 5.
    /// </summary>
    public static string Format(WalFileInfo wal, int columns = 5)
    {
        var builder = new StringBuilder(96)
            .Append(wal.Name).Append('\t')
            .Append(wal.Size.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(PythonFloat.Format(wal.Time)).Append('\t')
            .Append(wal.Compression ?? NoneLiteral);
        if (columns == 5)
            builder.Append('\t').Append(wal.Encryption ?? NoneLiteral);
        return builder.Append('\n').ToString();
    }

    /// <summary>
    /// Parses a line as Barman 3.14+ does: split on runs of whitespace; 3, 4 or 5 parts.
    /// </summary>
    /// <exception cref="FormatException">Barman's <c>cannot parse line: '...'</c>.</exception>
    public static WalFileInfo Parse(string line)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 3 or > 5
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size)
            || !PythonFloat.TryParse(parts[2], out var time))
            throw new FormatException($"cannot parse line: {PythonRepr(line)}");

        return new WalFileInfo
        {
            Name = parts[0],
            Size = size,
            Time = time,
            Compression = parts.Length >= 4 ? NoneToNull(parts[3]) : null,
            Encryption = parts.Length == 5 ? NoneToNull(parts[4]) : null,
        };
    }

    private static string? NoneToNull(string value) => value == NoneLiteral ? null : value;

    private static string PythonRepr(string line) =>
        "'" + line.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal) + "'";
}

using System.Globalization;

namespace Barman.Wal.Catalog;

/// <summary>Renders and parses doubles as Python's <c>repr(float)</c> does (the xlog.db time column).</summary>
public static class PythonFloat
{
    /// <summary>The shortest round-trip decimal, always with a <c>.</c> (<c>1.0</c>, not <c>1</c>).</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
            return "nan";
        if (double.IsInfinity(value))
            return value > 0 ? "inf" : "-inf";

        var abs = Math.Abs(value);
        if (abs != 0 && (abs < 1e-4 || abs >= 1e16))
            return FormatExponent(value);

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
            text = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>Parses a Python float literal as written in a catalog line.</summary>
    public static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static string FormatExponent(double value)
    {
        // Python: the shortest round-trip digits as d[.ddd]e±XX (at least two exponent digits).
        var exponent = int.Parse(
            value.ToString("E16", CultureInfo.InvariantCulture).AsSpan(value.ToString("E16", CultureInfo.InvariantCulture).IndexOf('E') + 1),
            NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture);
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var digits = (e >= 0 ? shortest[..e] : shortest).Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
        if (digits.Length == 0)
            digits = "0";
        var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
        var sign = exponent < 0 ? "-" : "+";
        return string.Create(CultureInfo.InvariantCulture, $"{(value < 0 ? "-" : string.Empty)}{mantissa}e{sign}{Math.Abs(exponent):00}");
    }
}

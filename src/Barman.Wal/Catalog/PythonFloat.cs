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
        // Python: mantissa digits of repr, exponent with sign and at least two digits (1e-05, 1e+16).
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
            text = value.ToString("E16", CultureInfo.InvariantCulture);
        e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = text[..e];
        var exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var sign = exponent < 0 ? "-" : "+";
        return string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{sign}{Math.Abs(exponent):00}");
    }
}

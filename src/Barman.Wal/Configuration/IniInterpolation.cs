using System.Text;
using System.Text.RegularExpressions;

namespace Barman.Wal.Configuration;

/// <summary>
/// configparser's <c>BasicInterpolation</c>: <c>%(key)s</c> from the same section (or the
/// file's <c>[DEFAULT]</c>), <c>%%</c> for a literal <c>%</c>, at most 10 nested levels.
/// </summary>
internal static partial class IniInterpolation
{
    private const int MaxDepth = 10;

    /// <summary>Interpolates <paramref name="raw"/>, looking names up in <paramref name="scope"/>.</summary>
    /// <exception cref="ConfigurationException">unknown name, bad syntax or too deep.</exception>
    public static string Interpolate(
        string file, string section, string key, string raw, IReadOnlyDictionary<string, string> scope)
    {
        var sb = new StringBuilder();
        InterpolateSome(file, section, key, raw, raw, scope, sb, 1);
        return sb.ToString();
    }

    /// <summary>
    /// The check configparser runs when a value is stored with <c>set()</c> (3.17 does that when
    /// merging files): after removing <c>%%</c> and <c>%(name)s</c> no <c>%</c> may remain.
    /// </summary>
    public static void ValidateStored(string file, string section, string key, string value)
    {
        var rest = KeyRegex().Replace(value.Replace("%%", string.Empty, StringComparison.Ordinal), string.Empty);
        var at = rest.IndexOf('%', StringComparison.Ordinal);
        if (at >= 0)
        {
            throw SyntaxError(file, section, key, value);
        }
    }

    private static void InterpolateSome(
        string file, string section, string key, string raw, string rest,
        IReadOnlyDictionary<string, string> scope, StringBuilder accum, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ConfigurationException(
                $"{file}: [{section}] {key}: interpolation nested deeper than {MaxDepth} levels in {IniFile.PyRepr(raw)}",
                [$"ERROR: {file}: [{section}] {key}: interpolation nested deeper than {MaxDepth} levels"]);
        }

        while (rest.Length > 0)
        {
            var p = rest.IndexOf('%', StringComparison.Ordinal);
            if (p < 0)
            {
                accum.Append(rest);
                return;
            }

            if (p > 0)
            {
                accum.Append(rest, 0, p);
                rest = rest[p..];
            }

            var c = rest.Length > 1 ? rest[1] : '\0';
            if (c == '%')
            {
                accum.Append('%');
                rest = rest[2..];
            }
            else if (c == '(')
            {
                var m = KeyRegex().Match(rest);
                if (!m.Success || m.Index != 0)
                {
                    throw SyntaxError(file, section, key, raw);
                }

                var name = m.Groups[1].Value.ToLowerInvariant();
                rest = rest[m.Length..];
                if (!scope.TryGetValue(name, out var v))
                {
                    throw new ConfigurationException(
                        $"{file}: [{section}] {key}: unknown interpolation %({m.Groups[1].Value})s",
                        [$"ERROR: {file}: [{section}] {key}: unknown interpolation %({m.Groups[1].Value})s"]);
                }

                if (v.Contains('%', StringComparison.Ordinal))
                {
                    InterpolateSome(file, section, key, raw, v, scope, accum, depth + 1);
                }
                else
                {
                    accum.Append(v);
                }
            }
            else
            {
                throw SyntaxError(file, section, key, raw);
            }
        }
    }

    private static ConfigurationException SyntaxError(string file, string section, string key, string raw)
    {
        var message =
            $"{file}: [{section}] {key}: invalid interpolation syntax in {IniFile.PyRepr(raw)} (a literal '%' must be written '%%%%')";
        return new ConfigurationException(message, ["ERROR: " + message]);
    }

    [GeneratedRegex(@"%\(([^)]+)\)s")]
    private static partial Regex KeyRegex();
}

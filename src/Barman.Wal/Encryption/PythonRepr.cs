using System.Globalization;
using System.Text;

namespace Barman.Wal.Encryption;

/// <summary>Python's <c>repr()</c> of the values Barman puts in error texts (strings, dicts of them).</summary>
internal static class PythonRepr
{
    /// <summary>
    /// A Python string literal: single quotes, or double quotes when the text has a single quote and no
    /// double quote; backslash, quote and control characters escaped as Python does.
    /// </summary>
    public static string String(string? value)
    {
        if (value is null)
            return "None";
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder(value.Length + 2).Append(quote);
        foreach (var rune in value.EnumerateRunes())
        {
            var c = rune.Value;
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                case '\t': text.Append(@"\t"); break;
                default:
                    if (c == quote)
                        text.Append('\\').Append(quote);
                    else if (c < 0x20 || c == 0x7f)
                        text.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
                    else if (c is >= 0x80 and < 0xa0)
                        text.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
                    else
                        text.Append(rune.ToString());
                    break;
            }
        }

        return text.Append(quote).ToString();
    }
}

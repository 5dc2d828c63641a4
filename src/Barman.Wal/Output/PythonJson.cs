using System.Collections;
using System.Globalization;
using System.Text;
using Barman.Wal.Catalog;

namespace Barman.Wal.Output;

/// <summary>
/// Serialises as Python's <c>json.dumps(obj, sort_keys=True)</c> does: <c>", "</c> and <c>": "</c>
/// separators, non-ASCII escaped as <c>\uXXXX</c>, keys sorted by code point.
/// </summary>
public static class PythonJson
{
    /// <summary>Serialises dictionaries (string keys), lists, strings, booleans, numbers and null.</summary>
    public static string Serialize(object? value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case string s:
                WriteString(builder, s);
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case double d:
                builder.Append(PythonFloat.Format(d));
                break;
            case float f:
                builder.Append(PythonFloat.Format(f));
                break;
            case IFormattable number when value is int or long or uint or ulong or short or decimal:
                builder.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            case IDictionary dictionary:
                WriteObject(builder, dictionary);
                break;
            case IEnumerable list:
                builder.Append('[');
                var first = true;
                foreach (var item in list)
                {
                    if (!first)
                        builder.Append(", ");
                    first = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            default:
                WriteString(builder, value.ToString() ?? string.Empty);
                break;
        }
    }

    private static void WriteObject(StringBuilder builder, IDictionary dictionary)
    {
        var keys = dictionary.Keys.Cast<object>().Select(k => k.ToString()!).ToList();
        keys.Sort(StringComparer.Ordinal);
        builder.Append('{');
        for (var i = 0; i < keys.Count; i++)
        {
            if (i > 0)
                builder.Append(", ");
            WriteString(builder, keys[i]);
            builder.Append(": ");
            Write(builder, dictionary[keys[i]]);
        }

        builder.Append('}');
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }
}

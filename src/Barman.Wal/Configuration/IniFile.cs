using System.Text;
using System.Text.RegularExpressions;

namespace Barman.Wal.Configuration;

/// <summary>
/// One configuration file read like Python's <c>configparser.ConfigParser(strict=False)</c>:
/// raw (not interpolated) values, keys lower-cased, duplicate sections merged, last key wins.
/// </summary>
internal sealed partial class IniFile
{
    private const string DefaultSectionName = "DEFAULT";

    private IniFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>The <c>[DEFAULT]</c> keys of this file.</summary>
    public OrderedDictionary<string, string> Defaults { get; } = new(StringComparer.Ordinal);

    /// <summary>Sections in first-appearance order (section names are case-sensitive).</summary>
    public OrderedDictionary<string, OrderedDictionary<string, string>> Sections { get; } =
        new(StringComparer.Ordinal);

    public static IniFile Load(string path, string displayPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(
                $"{displayPath}: cannot read configuration file: {e.Message}",
                [$"EXCEPTION: [Errno] {e.Message}: '{displayPath}'", "See log file for more details."]);
        }

        return Parse(displayPath, text);
    }

    public static IniFile Parse(string path, string text)
    {
        var file = new IniFile(path);
        OrderedDictionary<string, string>? current = null;
        var pendingValues = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        OrderedDictionary<string, string>? pendingOwner = null;
        string? optionName = null;
        List<string>? optionValue = null;
        var indentLevel = 0;
        var errors = new List<(int Line, string Text)>();
        var lines = SplitLines(text);

        void Flush()
        {
            if (pendingOwner is null)
            {
                return;
            }

            foreach (var (key, parts) in pendingValues)
            {
                pendingOwner[key] = string.Join('\n', parts).TrimEnd();
            }

            pendingValues.Clear();
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var lineNumber = i + 1;
            var stripped = line.Trim();
            var isComment = stripped.StartsWith('#') || stripped.StartsWith(';');
            var value = isComment ? string.Empty : stripped;
            if (value.Length == 0)
            {
                // configparser keeps blank lines inside multi-line values (trimmed at the end);
                // comment lines are dropped.
                if (!isComment && current is not null && optionName is not null && optionValue is not null)
                {
                    optionValue.Add(string.Empty);
                }

                continue;
            }

            var curIndent = line.Length - line.TrimStart().Length;
            if (current is not null && optionName is not null && curIndent > indentLevel)
            {
                optionValue?.Add(value);
                continue;
            }

            indentLevel = curIndent;
            var header = SectionRegex().Match(value);
            if (header.Success)
            {
                var name = header.Groups["header"].Value;
                Flush();
                if (name == DefaultSectionName)
                {
                    current = file.Defaults;
                }
                else if (!file.Sections.TryGetValue(name, out current))
                {
                    current = new OrderedDictionary<string, string>(StringComparer.Ordinal);
                    file.Sections[name] = current;
                }

                pendingOwner = current;
                optionName = null;
                optionValue = null;
                continue;
            }

            if (current is null)
            {
                var shown = PyRepr(line);
                throw new ConfigurationException(
                    $"{path}: line {lineNumber}: file contains no section headers: {shown}",
                    [
                        "EXCEPTION: File contains no section headers.",
                        $"file: '{path}', line: {lineNumber}",
                        shown,
                        "See log file for more details.",
                    ]);
            }

            var option = OptionRegex().Match(value);
            if (option.Success && option.Groups["option"].Value.TrimEnd().Length > 0)
            {
                optionName = option.Groups["option"].Value.TrimEnd().ToLowerInvariant();
                optionValue = [option.Groups["value"].Value.Trim()];
                pendingValues[optionName] = optionValue;
                // keep the key's position even if it is assigned again later
                current[optionName] = string.Empty;
                continue;
            }

            // configparser records the error, forgets the current option and goes on
            errors.Add((lineNumber, line));
        }

        Flush();
        if (errors.Count > 0)
        {
            var stderr = new List<string> { $"EXCEPTION: Source contains parsing errors: '{path}'" };
            stderr.AddRange(errors.Select(e => $"\t[line {e.Line,2}]: {PyRepr(e.Text)}"));
            stderr.Add("See log file for more details.");
            var first = errors[0];
            throw new ConfigurationException(
                $"Source contains parsing errors: '{path}' [line {first.Line,2}]: {PyRepr(first.Text)}"
                + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty),
                stderr);
        }

        return file;
    }

    /// <summary>Python's <c>repr()</c> of a str (enough for config text).</summary>
    public static string PyRepr(string value)
    {
        var quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < ' ' || c == '\x7f')
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append(quote).ToString();
    }

    private static List<string> SplitLines(string text)
    {
        // Python reads text files with universal newlines; each line keeps its '\n'.
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var result = new List<string>();
        var start = 0;
        while (start < normalized.Length)
        {
            var end = normalized.IndexOf('\n', start);
            if (end < 0)
            {
                result.Add(normalized[start..]);
                break;
            }

            result.Add(normalized[start..(end + 1)]);
            start = end + 1;
        }

        return result;
    }

    [GeneratedRegex(@"^\[(?<header>.+)\]")]
    private static partial Regex SectionRegex();

    [GeneratedRegex(@"^(?<option>.*?)\s*(?<vi>[=:])\s*(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex OptionRegex();
}

using System.Text.RegularExpressions;

namespace Barman.Wal.Configuration;

/// <summary>
/// All files merged the way Barman 3.17 does: each file is read on its own, its values are
/// interpolated within that file (section + that file's <c>[DEFAULT]</c>) and copied into the
/// merged sections; reading a value interpolates it once more within the merged section.
/// </summary>
internal sealed partial class MergedConfig
{
    public OrderedDictionary<string, OrderedDictionary<string, MergedValue>> Sections { get; } =
        new(StringComparer.Ordinal);

    public void Merge(IniFile file)
    {
        foreach (var (sectionName, keys) in file.Sections)
        {
            var scope = new Dictionary<string, string>(file.Defaults, StringComparer.Ordinal);
            foreach (var (k, v) in keys)
            {
                scope[k] = v;
            }

            if (!Sections.TryGetValue(sectionName, out var target))
            {
                target = new OrderedDictionary<string, MergedValue>(StringComparer.Ordinal);
                Sections[sectionName] = target;
            }

            foreach (var key in file.Defaults.Keys.Concat(keys.Keys.Where(k => !file.Defaults.ContainsKey(k))))
            {
                var value = IniInterpolation.Interpolate(file.Path, sectionName, key, scope[key], scope);
                IniInterpolation.ValidateStored(file.Path, sectionName, key, value);
                target[key] = new MergedValue(value, file.Path);
            }
        }
    }

    public bool HasSection(string section) => Sections.ContainsKey(section);

    public bool HasOption(string section, string key) =>
        Sections.TryGetValue(section, out var s) && s.ContainsKey(key);

    /// <summary>The value as configparser returns it (second interpolation), or null when absent.</summary>
    public string? GetInterpolated(string section, string key)
    {
        if (!Sections.TryGetValue(section, out var s) || !s.TryGetValue(key, out var mv))
        {
            return null;
        }

        var scope = s.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal);
        return IniInterpolation.Interpolate(mv.File, section, key, mv.Value, scope);
    }

    /// <summary>
    /// Barman's <c>Config.get</c>: literal <c>None</c> becomes <paramref name="noneValue"/>, then
    /// one pair of matching surrounding quotes is removed.
    /// </summary>
    public string? Get(string section, string key, string? noneValue = null)
    {
        var value = GetInterpolated(section, key);
        if (value == "None")
        {
            value = noneValue;
        }

        return value is null ? null : StripQuotes(value);
    }

    /// <summary>All (key, value) pairs of a section, both interpolations applied.</summary>
    public IReadOnlyDictionary<string, string> Items(string section)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Sections.TryGetValue(section, out var s))
        {
            foreach (var key in s.Keys)
            {
                result[key] = GetInterpolated(section, key)!;
            }
        }

        return result;
    }

    public string? SourceFile(string section, string key) =>
        Sections.TryGetValue(section, out var s) && s.TryGetValue(key, out var mv) ? mv.File : null;

    public static string StripQuotes(string value)
    {
        var m = QuoteRegex().Match(value);
        return m.Success ? m.Groups[2].Value : value;
    }

    [GeneratedRegex("""^(["'])(.*)\1$""")]
    private static partial Regex QuoteRegex();
}

using System.Globalization;

namespace Barman.Wal.Compression;

/// <summary>
/// The value of <c>compression_level</c>: <c>low</c>, <c>medium</c> (the default), <c>high</c>, or an
/// integer that each codec clamps into its own range.
/// </summary>
/// <remarks><c>default(WalCompressionLevel)</c> is <see cref="Medium"/>.</remarks>
public readonly record struct WalCompressionLevel
{
    private enum LevelKind
    {
        Medium = 0,
        Low,
        High,
        Integer,
    }

    private readonly LevelKind _kind;
    private readonly int _value;

    private WalCompressionLevel(LevelKind kind, int value)
    {
        _kind = kind;
        _value = value;
    }

    /// <summary>Barman's default, <c>medium</c>.</summary>
    public static WalCompressionLevel Medium => default;

    /// <summary><c>low</c>: fastest setting of the codec.</summary>
    public static WalCompressionLevel Low => new(LevelKind.Low, 0);

    /// <summary><c>high</c>: Barman's "high" setting of the codec (not always the codec's maximum).</summary>
    public static WalCompressionLevel High => new(LevelKind.High, 0);

    /// <summary>An explicit integer level (negative allowed, for zstd).</summary>
    public static WalCompressionLevel FromInteger(int level) => new(LevelKind.Integer, level);

    /// <summary>The integer when one was given, else null.</summary>
    public int? Integer => _kind == LevelKind.Integer ? _value : null;

    /// <summary>
    /// Parses a configured value as Barman does: <c>low</c>/<c>medium</c>/<c>high</c> in any case, or
    /// digits with an optional leading <c>-</c> (<c>+5</c> and blanks inside are invalid).
    /// </summary>
    public static bool TryParse(string? text, out WalCompressionLevel level)
    {
        level = Medium;
        if (text is null)
        {
            return false;
        }

        switch (text.ToLowerInvariant())
        {
            case "low":
                level = Low;
                return true;
            case "medium":
                return true;
            case "high":
                level = High;
                return true;
        }

        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExcept("0123456789"))
        {
            return false;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            value = text.StartsWith('-') ? int.MinValue : int.MaxValue; // huge: clamped by the codec anyway
        }

        level = FromInteger(value);
        return true;
    }

    /// <summary>The configuration spelling (<c>low</c>, <c>medium</c>, <c>high</c> or the integer).</summary>
    public override string ToString() => _kind switch
    {
        LevelKind.Low => "low",
        LevelKind.High => "high",
        LevelKind.Integer => _value.ToString(CultureInfo.InvariantCulture),
        _ => "medium",
    };

    internal int Resolve(CodecLevels levels, out bool clamped)
    {
        clamped = false;
        switch (_kind)
        {
            case LevelKind.Low:
                return levels.Low;
            case LevelKind.High:
                return levels.High;
            case LevelKind.Integer:
                var value = Math.Clamp(_value, levels.Min, levels.Max);
                clamped = value != _value;
                return value;
            default:
                return levels.Medium;
        }
    }
}

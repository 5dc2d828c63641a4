namespace Barman.Wal.Configuration;

/// <summary>
/// What one of Barman's option parsers made of a text: a value, "empty" (set but blank, which
/// blocks inheritance and the default), "null" (inherit), or invalid (warn, then inherit).
/// </summary>
internal readonly record struct ParseOutcome(ParseState State, object? Value, string? Reason)
{
    public static ParseOutcome Of(object value) => new(ParseState.Value, value, null);

    public static ParseOutcome Empty => new(ParseState.Empty, null, null);

    public static ParseOutcome Null => new(ParseState.Null, null, null);

    public static ParseOutcome Invalid(string reason) => new(ParseState.Invalid, null, reason);
}

using System.Text.RegularExpressions;

namespace Barman.Wal.Checks;

/// <summary>Masks passwords in check messages: <c>password=*REDACTED*</c>, <c>postgresql://u:*REDACTED*@</c> (spec: check §5.1).</summary>
public static partial class PasswordMask
{
    /// <summary>The text with every password value replaced.</summary>
    public static string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("password", StringComparison.Ordinal) && !text.Contains("://", StringComparison.Ordinal))
            return text;
        text = KeywordPassword().Replace(text, "password=*REDACTED*");
        return UriPassword().Replace(text, "$1:*REDACTED*@");
    }

    [GeneratedRegex("""password\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'"]+)""")]
    private static partial Regex KeywordPassword();

    [GeneratedRegex("""(postgres(?:ql)?://[^:@/\s]+):[^@\s]+@""")]
    private static partial Regex UriPassword();
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Barman.Wal.Tests.Reliability.Strace;

/// <summary>
/// Parses the output of <c>strace -f -y [-ttt] -o FILE</c>: one line per call, prefixed by the thread id.
/// strace serialises the threads, so the line order is the order the kernel saw the calls; a call that
/// another thread interrupted is split into <c>name(args &lt;unfinished ...&gt;</c> and
/// <c>&lt;... name resumed&gt;rest</c>, which are joined here. Signal and exit lines are skipped.
/// </summary>
public static partial class StraceLog
{
    private const string Unfinished = " <unfinished ...>";

    /// <summary>Parses a trace file.</summary>
    public static IReadOnlyList<StraceCall> Load(string path) => Parse(File.ReadAllLines(path));

    /// <summary>Parses trace lines; the calls come in the order they returned.</summary>
    public static IReadOnlyList<StraceCall> Parse(IEnumerable<string> lines)
    {
        var calls = new List<StraceCall>();
        var pending = new Dictionary<int, (int Start, string Text)>();
        var index = -1;
        foreach (var line in lines)
        {
            index++;
            var prefix = LinePrefix().Match(line);
            if (!prefix.Success)
                continue;
            var pid = int.Parse(prefix.Groups["pid"].Value, CultureInfo.InvariantCulture);
            var rest = line[prefix.Length..];
            if (rest.EndsWith(Unfinished, StringComparison.Ordinal))
            {
                pending[pid] = (index, rest[..^Unfinished.Length]);
                continue;
            }

            var start = index;
            var resumed = Resumed().Match(rest);
            if (resumed.Success)
            {
                if (!pending.Remove(pid, out var head))
                    continue; // began before the trace did
                start = head.Start;
                rest = head.Text + rest[resumed.Length..];
            }

            if (ParseCall(rest, start, index, pid) is { } call)
                calls.Add(call);
        }

        return calls;
    }

    /// <summary>Parses <c>name(args) = result</c>; null for anything else (signals, exits).</summary>
    private static StraceCall? ParseCall(string text, int start, int end, int pid)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !SyscallName().IsMatch(text[..open]))
            return null;
        var name = text[..open];
        var (arguments, close) = SplitArguments(text, open + 1);
        if (close < 0)
            return null;
        var result = ResultPart().Match(text[(close + 1)..]);
        if (!result.Success || result.Groups["value"].Value == "?")
            return null;
        var value = long.Parse(result.Groups["value"].Value, CultureInfo.InvariantCulture);
        var resultPath = result.Groups["path"].Success ? Unescape(result.Groups["path"].Value) : null;

        var paths = new List<string>(2);
        string? fdPath = null, data = null;
        switch (name)
        {
            case "open" or "unlink" or "rename" or "link":
                paths.AddRange(arguments.Take(name is "rename" or "link" ? 2 : 1).Select(a => Resolve(null, a)));
                break;
            case "openat" or "unlinkat":
                paths.Add(Resolve(arguments[0], arguments[1]));
                break;
            case "renameat" or "renameat2" or "linkat":
                paths.Add(Resolve(arguments[0], arguments[1]));
                paths.Add(Resolve(arguments[2], arguments[3]));
                break;
            default:
                if (arguments.Count > 0)
                    fdPath = FdPath(arguments[0]);
                if (name is "write" or "pwrite64" && arguments.Count > 1)
                    data = StringValue(arguments[1]);
                break;
        }

        return new StraceCall(start, end, pid, name, value, paths, fdPath, data, resultPath);
    }

    /// <summary>Splits the arguments after <paramref name="from"/> at top-level commas; returns them and the index of the closing parenthesis.</summary>
    private static (List<string> Arguments, int Close) SplitArguments(string text, int from)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var quoted = false;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                current.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                    current.Append(text[++i]);
                else if (c == '"')
                    quoted = false;
                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case '(' or '[' or '{' or '<':
                    depth++;
                    break;
                case ']' or '}' or '>':
                    depth--;
                    break;
                case ')' when depth == 0:
                    if (current.Length > 0 || arguments.Count > 0)
                        arguments.Add(current.ToString().Trim());
                    return (arguments, i);
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    arguments.Add(current.ToString().Trim());
                    current.Clear();
                    continue;
            }

            current.Append(c);
        }

        return (arguments, -1);
    }

    /// <summary>A path argument made absolute against its directory fd (<c>AT_FDCWD&lt;/cwd&gt;</c> or <c>5&lt;/dir&gt;</c>).</summary>
    private static string Resolve(string? directoryFd, string pathArgument)
    {
        var path = StringValue(pathArgument) ?? pathArgument;
        if (Path.IsPathRooted(path) || directoryFd is null || FdPath(directoryFd) is not { } directory)
            return path;
        return Path.Combine(directory, path);
    }

    /// <summary>The path in an fd argument decorated by <c>-y</c> (<c>27&lt;/a/b&gt;</c>); null when undecorated.</summary>
    private static string? FdPath(string argument)
    {
        var match = DecoratedFd().Match(argument);
        if (!match.Success)
            return null;
        var path = Unescape(match.Groups["path"].Value);
        return path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^" (deleted)".Length] : path;
    }

    /// <summary>The content of a quoted argument (<c>"abc"</c> or truncated <c>"abc"...</c>), unescaped.</summary>
    private static string? StringValue(string argument)
    {
        var match = QuotedString().Match(argument);
        return match.Success ? Unescape(match.Groups["body"].Value) : null;
    }

    /// <summary>Undoes strace's C-style escapes (<c>\t \n \" \\ \123 \x7f</c>).</summary>
    internal static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
            return text;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }

            var c = text[++i];
            switch (c)
            {
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                case 'v': result.Append('\v'); break;
                case 'f': result.Append('\f'); break;
                case 'x' when i + 2 < text.Length:
                    result.Append((char)Convert.ToInt32(text.Substring(i + 1, 2), 16));
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    var digits = 1;
                    while (digits < 3 && i + digits < text.Length && text[i + digits] is >= '0' and <= '7')
                        digits++;
                    result.Append((char)Convert.ToInt32(text.Substring(i, digits), 8));
                    i += digits - 1;
                    break;
                default: result.Append(c); break;
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?:\d+\.\d+\s+)?")]
    private static partial Regex LinePrefix();

    [GeneratedRegex(@"^<\.\.\. \w+ resumed>")]
    private static partial Regex Resumed();

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex SyscallName();

    [GeneratedRegex(@"^\s*=\s*(?<value>-?\d+|\?)(?:<(?<path>.*)>)?")]
    private static partial Regex ResultPart();

    [GeneratedRegex(@"^(?:-?\d+|AT_FDCWD)<(?<path>.*)>$")]
    private static partial Regex DecoratedFd();

    [GeneratedRegex(@"^""(?<body>(?:[^""\\]|\\.)*)""(?:\.\.\.)?$")]
    private static partial Regex QuotedString();
}

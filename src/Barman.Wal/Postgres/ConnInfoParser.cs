using System.Globalization;
using System.Text;

namespace Barman.Wal.Postgres;

/// <summary>libpq's two connection string syntaxes: <c>key=value ...</c> and <c>postgresql://</c> URIs.</summary>
internal static class ConnInfoParser
{
    private static readonly string[] UriPrefixes = ["postgresql://", "postgres://"];

    public static List<KeyValuePair<string, string>> Parse(string text)
    {
        foreach (var prefix in UriPrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return ParseUri(text, prefix.Length);
            }
        }

        return ParseKeyValue(text);
    }

    private static List<KeyValuePair<string, string>> ParseKeyValue(string text)
    {
        var result = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                return result;
            }

            var start = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var key = text[start..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                throw new ConnInfoException($"missing \"=\" after \"{key}\" in connection info string");
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var value = new StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var c = text[i++];
                    if (c == '\\' && i < text.Length)
                    {
                        value.Append(text[i++]);
                    }
                    else if (c == '\'')
                    {
                        closed = true;
                        break;
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!closed)
                {
                    throw new ConnInfoException("unterminated quoted string in connection info string");
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    var c = text[i++];
                    if (c == '\\')
                    {
                        if (i < text.Length)
                        {
                            value.Append(text[i++]);
                        }
                    }
                    else
                    {
                        value.Append(c);
                    }
                }
            }

            Add(result, key, value.ToString());
        }
    }

    private static List<KeyValuePair<string, string>> ParseUri(string uri, int start)
    {
        var result = new List<KeyValuePair<string, string>>();
        var i = start;

        // user[:password]@ — only if an '@' comes before the path or query
        var end = IndexOfAny(uri, i, '/', '?');
        var at = uri.IndexOf('@', i, end - i);
        if (at >= 0)
        {
            var userInfo = uri[i..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? userInfo[..colon] : userInfo;
            if (user.Length > 0)
            {
                Add(result, "user", Decode(user));
            }

            if (colon >= 0 && colon + 1 < userInfo.Length)
            {
                Add(result, "password", Decode(userInfo[(colon + 1)..]));
            }

            i = at + 1;
        }

        // host[:port][,host[:port]...]
        var hosts = new List<string>();
        var ports = new List<string>();
        while (true)
        {
            string host;
            if (i < uri.Length && uri[i] == '[')
            {
                var close = uri.IndexOf(']', i + 1);
                if (close < 0)
                {
                    throw new ConnInfoException($"end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"{uri}\"");
                }

                if (close == i + 1)
                {
                    throw new ConnInfoException($"IPv6 host address may not be empty in URI: \"{uri}\"");
                }

                host = uri[(i + 1)..close];
                i = close + 1;
                if (i < uri.Length && uri[i] is not (':' or '/' or '?' or ','))
                {
                    throw new ConnInfoException(
                        $"unexpected character \"{uri[i]}\" at position {(i + 1).ToString(CultureInfo.InvariantCulture)} in URI (expected \":\" or \"/\"): \"{uri}\"");
                }
            }
            else
            {
                var hostEnd = IndexOfAny(uri, i, ':', '/', '?', ',');
                host = Decode(uri[i..hostEnd]);
                i = hostEnd;
            }

            var port = "";
            if (i < uri.Length && uri[i] == ':')
            {
                var portEnd = IndexOfAny(uri, i + 1, '/', '?', ',');
                port = Decode(uri[(i + 1)..portEnd]);
                i = portEnd;
            }

            hosts.Add(host);
            ports.Add(port);
            if (i < uri.Length && uri[i] == ',')
            {
                i++;
                continue;
            }

            break;
        }

        if (hosts.Any(h => h.Length > 0))
        {
            Add(result, "host", string.Join(',', hosts));
        }

        if (ports.Any(p => p.Length > 0))
        {
            Add(result, "port", string.Join(',', ports));
        }

        if (i < uri.Length && uri[i] == '/')
        {
            var dbEnd = IndexOfAny(uri, i + 1, '?');
            var db = uri[(i + 1)..dbEnd];
            if (db.Length > 0)
            {
                Add(result, "dbname", Decode(db));
            }

            i = dbEnd;
        }

        if (i < uri.Length && uri[i] == '?')
        {
            foreach (var pair in uri[(i + 1)..].Split('&'))
            {
                if (pair.Length == 0)
                {
                    continue;
                }

                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    throw new ConnInfoException($"missing key/value separator \"=\" in URI query parameter: \"{pair}\"");
                }

                if (pair.IndexOf('=', eq + 1) >= 0)
                {
                    throw new ConnInfoException($"extra key/value separator \"=\" in URI query parameter: \"{pair}\"");
                }

                var key = Decode(pair[..eq]);
                var value = Decode(pair[(eq + 1)..]);
                if (key == "ssl" && value == "true")
                {
                    (key, value) = ("sslmode", "require");
                }

                if (!ConnInfoKeywords.All.Contains(key))
                {
                    throw new ConnInfoException($"invalid URI query parameter: \"{key}\"");
                }

                Add(result, key, value);
            }
        }

        return result;
    }

    private static void Add(List<KeyValuePair<string, string>> list, string key, string value)
    {
        if (!ConnInfoKeywords.All.Contains(key))
        {
            throw new ConnInfoException($"invalid connection option \"{key}\"");
        }

        var existing = list.FindIndex(p => p.Key == key);
        if (existing >= 0)
        {
            list[existing] = new(key, value);   // the last value wins, as in libpq
        }
        else
        {
            list.Add(new(key, value));
        }
    }

    private static int IndexOfAny(string s, int from, params char[] chars)
    {
        var i = s.IndexOfAny(chars, Math.Min(from, s.Length));
        return i < 0 ? s.Length : i;
    }

    private static string Decode(string token)
    {
        if (!token.Contains('%', StringComparison.Ordinal))
        {
            return token;
        }

        var bytes = new List<byte>(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token[i].ToString()));
                continue;
            }

            if (i + 2 >= token.Length
                || !byte.TryParse(token.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                throw new ConnInfoException($"invalid percent-encoded token: \"{token}\"");
            }

            if (b == 0)
            {
                throw new ConnInfoException($"forbidden value %00 in percent-encoded value: \"{token}\"");
            }

            bytes.Add(b);
            i += 2;
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}

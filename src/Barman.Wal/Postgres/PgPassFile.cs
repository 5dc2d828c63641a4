using System.Text;

namespace Barman.Wal.Postgres;

/// <summary>
/// libpq's password file: lines <c>host:port:database:user:password</c>, <c>*</c> matches
/// anything, <c>\</c> escapes <c>:</c> and <c>\</c>, the first match wins; a unix socket
/// connection matches host <c>localhost</c>; a file readable by group or others is ignored.
/// </summary>
internal static class PgPassFile
{
    public static string? Lookup(string path, string host, string port, string database, string user)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & GroupOrOther) != 0)
            {
                return null;
            }
        }

        var matchHost = host.StartsWith('/') ? "localhost" : host;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var line in lines)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = Split(line);
            if (fields.Count < 5)
            {
                continue;
            }

            if (Matches(fields[0], matchHost) && Matches(fields[1], port) && Matches(fields[2], database) && Matches(fields[3], user))
            {
                return fields[4];
            }
        }

        return null;
    }

    private static bool Matches(string field, string value) => field == "*" || field == value;

    private static List<string> Split(string line)
    {
        // The password is the rest of the line after the fourth unescaped ':' (its escapes removed).
        var fields = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else if (c == ':' && fields.Count < 4)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}

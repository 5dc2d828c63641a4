namespace Barman.Wal.Configuration;

/// <summary>Python's <c>os.path.realpath</c> and <c>os.path.expanduser</c>, enough for barman.conf.</summary>
internal static class PosixPaths
{
    private const int MaxLinks = 40;

    /// <summary>Absolute path with every existing symbolic link resolved (missing parts kept).</summary>
    public static string RealPath(string path)
    {
        var pending = new Stack<string>();
        var absolute = path.StartsWith('/') ? path : Directory.GetCurrentDirectory().TrimEnd('/') + "/" + path;
        PushComponents(pending, absolute);
        var resolved = "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Parent(resolved);
                continue;
            }

            var candidate = resolved == "/" ? "/" + part : resolved + "/" + part;
            string? target = null;
            if (links < MaxLinks)
            {
                try
                {
                    target = new FileInfo(candidate).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    target = null;
                }
            }

            if (target is null)
            {
                resolved = candidate;
                continue;
            }

            links++;
            if (target.StartsWith('/'))
            {
                resolved = "/";
            }

            PushComponents(pending, target);
        }

        return resolved;
    }

    /// <summary><c>~</c> and <c>~user</c> at the start of <paramref name="path"/>, as Python does.</summary>
    public static string ExpandUser(string path, string? home)
    {
        if (!path.StartsWith('~'))
        {
            return path;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var user = slash < 0 ? path[1..] : path[1..slash];
        var rest = slash < 0 ? string.Empty : path[slash..];
        string? dir = user.Length == 0 ? home : LookupHome(user);
        if (dir is null)
        {
            return path;
        }

        dir = dir.TrimEnd('/');
        return (dir.Length == 0 ? "/" : dir) + (dir.Length == 0 && rest.StartsWith('/') ? rest[1..] : rest);
    }

    private static string? LookupHome(string user)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length >= 6 && fields[0] == user)
                {
                    return fields[5];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    private static void PushComponents(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static string Parent(string path)
    {
        if (path == "/")
        {
            return "/";
        }

        var i = path.LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }
}

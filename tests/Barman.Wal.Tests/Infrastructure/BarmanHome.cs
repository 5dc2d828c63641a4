using System.Text;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// A temp <c>barman_home</c> with a generated barman.conf (<c>[barman]</c> plus server sections),
/// and helpers to look at the per-server directories and the archive tree. Deleted on dispose.
/// </summary>
/// <remarks>
/// When the tests run as root, <c>barman_user</c> is the unprivileged OS user <c>barman</c>
/// (<see cref="OsUser.ToolUser"/>): <see cref="Root"/> belongs to it and <see cref="ToolRunner"/> runs
/// the tool as it, as in production. Otherwise both are the test process's user.
/// </remarks>
public sealed class BarmanHome : IDisposable
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _servers = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> _global = new Dictionary<string, string>();

    /// <summary>A home whose <c>barman_user</c> is <see cref="OsUser.ToolUser"/>.</summary>
    public BarmanHome()
        : this(OsUser.ToolUser)
    {
    }

    /// <summary>A home whose <c>barman_user</c> is <paramref name="user"/> (null = the test process's user).</summary>
    public BarmanHome(OsUser? user)
    {
        User = user;
        Root = Directory.CreateTempSubdirectory("barman-wal-home-").FullName;
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Home);
        ConfigPath = Path.Combine(Root, "barman.conf");
        LogFile = Path.Combine(Root, "log", "barman.log");
        GiveToUser();
    }

    /// <summary>The OS user of <c>barman_user</c> and owner of <see cref="Root"/>; null = the test process's user.</summary>
    public OsUser? User { get; }

    /// <summary>The <c>barman_user</c> written to barman.conf.</summary>
    public string UserName => User?.Name ?? Environment.UserName;

    /// <summary>
    /// Gives <see cref="Root"/> (everything the test created in it so far) and <paramref name="paths"/>
    /// (recursively) to <see cref="User"/>; nothing when the tool runs as the test process's user.
    /// <see cref="ToolRunner"/> calls it before every run; call it for directories made elsewhere for the tool.
    /// </summary>
    public void GiveToUser(params string[] paths) => User?.Own([Root, .. paths]);

    /// <summary>The temp directory that holds <see cref="Home"/>, the config and the log.</summary>
    public string Root { get; }

    /// <summary>barman_home.</summary>
    public string Home { get; }

    /// <summary>The generated barman.conf (pass it with <c>-c</c>).</summary>
    public string ConfigPath { get; }

    /// <summary>log_file.</summary>
    public string LogFile { get; }

    /// <summary>
    /// Writes barman.conf with <c>[barman]</c> (barman_home, barman_user = <see cref="UserName"/>,
    /// log_file, log_level = DEBUG, then <paramref name="globalOptions"/>) and one section per
    /// server written so far plus <paramref name="server"/> with <paramref name="serverOptions"/>.
    /// </summary>
    public string WriteConfig(
        IReadOnlyDictionary<string, string> serverOptions,
        string server = "pg1",
        IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        if (globalOptions is not null)
        {
            _global = globalOptions;
        }

        _servers[server] = serverOptions;
        var text = new StringBuilder();
        text.Append("[barman]\n");
        var global = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["barman_home"] = Home,
            ["barman_user"] = UserName,
            ["log_file"] = LogFile,
            ["log_level"] = "DEBUG",
            // most tests feed made-up bytes as WAL; the reliability tests turn header validation back on
            ["wal_header_validation"] = "off",
        };
        foreach (var (k, v) in _global)
        {
            global[k] = v;
        }

        AppendOptions(text, global);
        foreach (var (name, options) in _servers)
        {
            text.Append('\n').Append('[').Append(name).Append("]\n");
            AppendOptions(text, options);
        }

        File.WriteAllText(ConfigPath, text.ToString());
        return ConfigPath;
    }

    /// <summary>Appends raw text to barman.conf (for syntax edge cases).</summary>
    public void AppendRaw(string text) => File.AppendAllText(ConfigPath, text);

    /// <summary>&lt;barman_home&gt;/&lt;server&gt; (backup_directory).</summary>
    public string ServerDirectory(string server = "pg1") => Path.Combine(Home, server);

    /// <summary>The default incoming_wals_directory.</summary>
    public string IncomingDirectory(string server = "pg1") => Path.Combine(ServerDirectory(server), "incoming");

    /// <summary>The default streaming_wals_directory.</summary>
    public string StreamingDirectory(string server = "pg1") => Path.Combine(ServerDirectory(server), "streaming");

    /// <summary>The default wals_directory.</summary>
    public string WalsDirectory(string server = "pg1") => Path.Combine(ServerDirectory(server), "wals");

    /// <summary>The default errors_directory.</summary>
    public string ErrorsDirectory(string server = "pg1") => Path.Combine(ServerDirectory(server), "errors");

    /// <summary>The default xlog.db path: &lt;wals_directory&gt;/&lt;server&gt;-xlog.db.</summary>
    public string XlogDbPath(string server = "pg1") => Path.Combine(WalsDirectory(server), $"{server}-xlog.db");

    /// <summary>The receive-wal lock file in barman_lock_directory (default barman_home).</summary>
    public string ReceiveWalLockPath(string server = "pg1") => Path.Combine(Home, $".{server}-receive-wal.lock");

    /// <summary>Creates the incoming and streaming directories of a server (as barman's check would).</summary>
    public void CreateServerDirectories(string server = "pg1")
    {
        Directory.CreateDirectory(IncomingDirectory(server));
        Directory.CreateDirectory(StreamingDirectory(server));
        Directory.CreateDirectory(WalsDirectory(server));
        Directory.CreateDirectory(ErrorsDirectory(server));
    }

    /// <summary>Files below the wals directory as sorted relative paths (e.g. <c>0000000100000000/000000010000000000000003.gz</c>); xlog.db excluded.</summary>
    public IReadOnlyList<string> ListArchive(string server = "pg1") =>
        ListFiles(WalsDirectory(server)).Where(p => !p.EndsWith("-xlog.db", StringComparison.Ordinal) && p != "xlog.db").ToList();

    /// <summary>Every file below <paramref name="directory"/> as sorted relative paths ('/'-separated); empty if missing.</summary>
    public static IReadOnlyList<string> ListFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The xlog.db lines (empty if the file does not exist).</summary>
    public IReadOnlyList<string> ReadXlogDb(string server = "pg1")
    {
        var path = XlogDbPath(server);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void AppendOptions(StringBuilder text, IReadOnlyDictionary<string, string> options)
    {
        foreach (var (k, v) in options)
        {
            if (k.Contains('\n', StringComparison.Ordinal) || v.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"option {k} must be one line", nameof(options));
            }

            text.Append(k).Append(" = ").Append(v).Append('\n');
        }
    }
}

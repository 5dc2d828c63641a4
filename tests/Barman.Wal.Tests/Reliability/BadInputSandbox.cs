using System.Text;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// A temp barman_home for one bad-input case: a valid barman.conf (server <c>pg1</c>, archiver on),
/// a real segment and a history file in incoming. Cases change the config or add odd entries, and
/// <see cref="Lost"/> tells whether any source disappeared or changed.
/// </summary>
internal sealed class BadInputSandbox : IDisposable
{
    public const string Segment = "000000010000000000000004";
    public const string History = "00000002.history";
    private static readonly string Raw = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compression", "raw");
    private readonly Dictionary<string, byte[]> _sources = new(StringComparer.Ordinal);

    public BadInputSandbox()
    {
        Root = Directory.CreateTempSubdirectory("barman-wal-bad-").FullName;
        Home = Path.Combine(Root, "home");
        Incoming = Path.Combine(Home, "pg1", "incoming");
        Directory.CreateDirectory(Incoming);
        Directory.CreateDirectory(Path.Combine(Home, "pg1", "streaming"));
        ConfigPath = Path.Combine(Root, "barman.conf");
        Global = $"[barman]\nbarman_home = {Home}\nbarman_user = {User?.Name ?? Environment.UserName}\nlog_file = {Root}/barman.log\nlog_level = DEBUG\n";
        Server = "[pg1]\ndescription = test\nconninfo = host=127.0.0.1\narchiver = on\n";
        AddSource(Segment, File.ReadAllBytes(Path.Combine(Raw, Segment)));
        AddSource(History, File.ReadAllBytes(Path.Combine(Raw, History)));
    }

    public string Root { get; }

    /// <summary>barman_user: the OS user the tool runs as (<see cref="OsUser.ToolUser"/>; null = the test process's user).</summary>
    public OsUser? User { get; } = OsUser.ToolUser;

    public string Home { get; }

    public string Incoming { get; }

    public string ConfigPath { get; }

    public string Errors => Path.Combine(Home, "pg1", "errors");

    /// <summary>The <c>[barman]</c> section text (change before <see cref="WriteConfig"/>).</summary>
    public string Global { get; set; }

    /// <summary>The <c>[pg1]</c> section text.</summary>
    public string Server { get; set; }

    /// <summary>Text written after both sections.</summary>
    public string Tail { get; set; } = "";

    /// <summary>Replaces the whole file when set.</summary>
    public byte[]? WholeConfig { get; set; }

    public void WriteConfig() =>
        File.WriteAllBytes(ConfigPath, WholeConfig ?? Encoding.UTF8.GetBytes(Global + "\n" + Server + Tail));

    /// <summary>A file in incoming that must never be lost.</summary>
    public void AddSource(string name, byte[] content)
    {
        var path = Path.Combine(Incoming, name);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1)); // settled: no copy is still writing it
        _sources[name] = content;
    }

    /// <summary>Stops tracking the sources (for cases that remove incoming themselves).</summary>
    public void Forget() => _sources.Clear();

    /// <summary>Replaces the segment in incoming by other bytes of the same name.</summary>
    public void ReplaceSegment(byte[] content) => AddSource(Segment, content);

    /// <summary>The sources that are neither in incoming, nor archived, nor in errors with their bytes.</summary>
    public List<string> Lost()
    {
        var lost = new List<string>();
        foreach (var (name, content) in _sources)
        {
            var candidates = new List<string> { Path.Combine(Incoming, name) };
            if (Directory.Exists(Errors))
                candidates.AddRange(Directory.GetFiles(Errors).Where(f => Path.GetFileName(f).StartsWith(name + ".", StringComparison.Ordinal)));
            var wals = Path.Combine(Home, "pg1", "wals");
            if (Directory.Exists(wals))
                candidates.AddRange(Directory.GetFiles(wals, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) == name));
            if (!candidates.Any(c => File.Exists(c) && (ArchiveState.Decode(c).AsSpan().SequenceEqual(content) || File.ReadAllBytes(c).AsSpan().SequenceEqual(content))))
                lost.Add(name);
        }

        return lost;
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
}

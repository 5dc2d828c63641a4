using Barman.Wal.Catalog;
using Barman.Wal.Platform;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Hooks;

/// <summary>
/// A barman_home for hook tests: WAL files dropped into <c>incoming</c>, hook command lines that record
/// their <c>BARMAN_*</c> environment to a file, and readers for what the scripts recorded and the log said.
/// </summary>
public sealed class HookSandbox : IDisposable
{
    public const string Server = "pg1";

    public HookSandbox()
    {
        Records = Path.Combine(Home.Root, "records");
        Directory.CreateDirectory(Records);
        Home.CreateServerDirectories();
    }

    public BarmanHome Home { get; } = new();

    /// <summary>Where the recording scripts write.</summary>
    public string Records { get; }

    /// <summary>Writes barman.conf for pg1 with the archiver on and <paramref name="options"/>.</summary>
    public void Configure(IReadOnlyDictionary<string, string> options)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["description"] = "hook tests",
            ["conninfo"] = "host=localhost",
            ["backup_method"] = "postgres",
            ["archiver"] = "on",
        };
        foreach (var (k, v) in options)
            all[k] = v;
        Home.WriteConfig(all, Server);
    }

    /// <summary>
    /// A command line that appends its label to <c>order</c>, records the <c>BARMAN_*</c> variables to
    /// <c>&lt;label&gt;.&lt;segment&gt;.env</c>, then exits with <paramref name="exitCode"/>.
    /// </summary>
    public string Recorder(string label, int exitCode = 0) =>
        $"echo {label} >> {Records}/order; env | grep '^BARMAN_' | sort > {Records}/{label}.$BARMAN_SEGMENT.env; exit {exitCode}";

    /// <summary>The variables a recorder saw for <paramref name="segment"/>.</summary>
    public IReadOnlyDictionary<string, string> Recorded(string label, string segment)
    {
        var path = Path.Combine(Records, $"{label}.{segment}.env");
        File.Exists(path).Should().BeTrue($"{label} should have run for {segment}");
        return File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }

    /// <summary>The labels of the recorders in the order they ran.</summary>
    public IReadOnlyList<string> Order()
    {
        var path = Path.Combine(Records, "order");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>Drops a 16 MiB WAL segment into incoming; <paramref name="seed"/> varies its content.</summary>
    public string AddWal(string name, byte seed = 0)
    {
        var path = Path.Combine(Home.IncomingDirectory(), name);
        var bytes = new byte[16 << 20];
        bytes[0] = seed;
        bytes[^1] = seed;
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The catalog time of a source file: its mtime rendered as a Python float.</summary>
    public static string Timestamp(string path) => PythonFloat.Format(FileStatus.TryGet(path)!.Value.PythonModifyTime);

    /// <summary>Runs <c>barman-wal archive-wal pg1</c>.</summary>
    public Task<ProcessResult> ArchiveWalAsync(IReadOnlyDictionary<string, string?>? environment = null) =>
        ToolRunner.RunAsync(Home, ["archive-wal", Server], environment);

    /// <summary>The log file's text ("" when missing).</summary>
    public string Log() => File.Exists(Home.LogFile) ? File.ReadAllText(Home.LogFile) : string.Empty;

    /// <summary>The stored path of a segment.</summary>
    public string Stored(string name) => Path.Combine(Home.WalsDirectory(), name[..16], name);

    public void Dispose() => Home.Dispose();
}

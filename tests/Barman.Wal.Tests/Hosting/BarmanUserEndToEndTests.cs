using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Hosting;

/// <summary>
/// <c>barman_user</c> through the built CLI (spec: config.md, <c>barman_user</c> and the order of checks):
/// started as root the tool becomes the unprivileged user — every file it writes and every child it runs
/// belong to that user; started as another user, or naming an unknown user, it stops before touching anything.
/// </summary>
public sealed class BarmanUserEndToEndTests : IDisposable
{
    private const string Wal1 = "000000010000000000000001";
    private const string Wal2 = "000000010000000000000002";
    private readonly OsUser _user = OsUser.ToolUser
        ?? throw new PrerequisiteMissingException("the barman_user tests start barman-wal as root: run the tests as root");
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Check_started_as_root_creates_the_directories_as_barman_user()
    {
        WriteConfig();

        var result = await ToolRunner.RunAsync(_home, ["check", "pg1"], asTestProcessUser: true);

        result.StdoutLines.Should().Contain("\tdirectories: OK", result.ToString());
        foreach (var directory in new[] { _home.IncomingDirectory(), _home.StreamingDirectory(), _home.WalsDirectory(), _home.ErrorsDirectory() })
            Directory.Exists(directory).Should().BeTrue(directory);
        OwnersUnder(_home.Root).Should().OnlyContain(e => e.Owner == _user.Name || e.Path == _home.ConfigPath);
        OwnersUnder(_home.Root).Select(e => e.Path).Should().Contain([_home.LogFile, Path.Combine(_home.ServerDirectory(), "base")]);
    }

    [Fact]
    public async Task ArchiveWal_started_as_root_archives_compresses_and_runs_hooks_as_barman_user()
    {
        var records = Path.Combine(_home.Root, "records");
        WriteConfig(new()
        {
            ["compression"] = "custom",
            ["custom_compression_filter"] = $"id -u >> {records}.filter; gzip -c -1",
            ["custom_decompression_filter"] = "gzip -dc",
            ["custom_compression_magic"] = "0x1f8b08",
            ["pre_archive_script"] = $"echo \"$(id -u) $(id -g) $(id -G) $HOME\" >> {records}.hook",
        });
        (await ToolRunner.RunAsync(_home, ["check", "pg1"], asTestProcessUser: true)).StdoutLines.Should().Contain("\tdirectories: OK");
        AddWal(Wal1, 1);
        AddWal(Wal2, 2);
        File.WriteAllText(Path.Combine(_home.IncomingDirectory(), "not-a-wal"), "x");
        _user.Own(_home.IncomingDirectory()); // delivered by archive_command as barman_user, as in production

        var result = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], asTestProcessUser: true);

        result.ExitCode.Should().Be(0, result.ToString());
        _home.ListArchive().Should().Equal($"0000000100000000/{Wal1}", $"0000000100000000/{Wal2}");
        _home.ReadXlogDb().Should().HaveCount(2).And.OnlyContain(l => l.Split('\t')[3] == "custom");
        Directory.GetFiles(_home.ErrorsDirectory()).Should().ContainSingle().Which.Should().EndWith(".unknown");
        Directory.GetFileSystemEntries(_home.IncomingDirectory()).Should().BeEmpty();
        var groups = string.Join(' ', ProcessOutput("id", "-G", _user.Name).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        File.ReadAllLines(records + ".hook").Should().Equal(
            Enumerable.Repeat($"{_user.Uid} {_user.Gid} {groups} {_user.HomeDirectory}", 2));
        File.ReadAllLines(records + ".filter").Should().Equal(Enumerable.Repeat(_user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), 2));
        var owners = OwnersUnder(_home.Root);
        owners.Should().OnlyContain(e => e.Owner == _user.Name || e.Path == _home.ConfigPath, string.Join('\n', owners));
        owners.Select(e => e.Path).Should().Contain(
            [_home.LogFile, _home.XlogDbPath(), Path.Combine(_home.Home, ".pg1-archive-wal.lock"), Path.Combine(_home.WalsDirectory(), "0000000100000000", Wal1)]);
    }

    [Fact]
    public async Task Run_as_barman_user_with_barman_user_another_user_is_refused_before_touching_anything()
    {
        WriteConfig(global: new() { ["barman_user"] = "postgres" });
        AddWal(Wal1, 1);
        _home.GiveToUser();
        var before = Snapshot();

        var archive = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);
        var check = await ToolRunner.RunAsync(_home, ["check", "pg1"]);

        foreach (var result in new[] { archive, check })
        {
            result.ExitCode.Should().Be(1, result.ToString());
            result.StdoutLines.Should().BeEmpty();
            result.StderrLines.Should().Equal("ERROR: please run barman as 'postgres' user");
        }

        Snapshot().Should().Equal(before);
    }

    [Fact]
    public async Task Unknown_barman_user_is_refused_as_that_user_and_as_root_before_touching_anything()
    {
        WriteConfig(global: new() { ["barman_user"] = "no-such-barman-user" });
        AddWal(Wal1, 1);
        _home.GiveToUser();
        var before = Snapshot();

        var asUser = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);
        var asRoot = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], asTestProcessUser: true);

        foreach (var result in new[] { asUser, asRoot })
        {
            result.ExitCode.Should().Be(1, result.ToString());
            result.StdoutLines.Should().BeEmpty();
            result.StderrLines.Should().Equal("ERROR: the configured user 'no-such-barman-user' does not exists");
        }

        Snapshot().Should().Equal(before);
    }

    [Fact]
    public async Task Started_as_root_with_barman_user_root_nothing_changes()
    {
        using var home = new BarmanHome(user: null);
        home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1", ["archiver"] = "on" });

        var result = await ToolRunner.RunAsync(home, ["check", "pg1"]);

        result.StdoutLines.Should().Contain("\tdirectories: OK", result.ToString());
        OwnersUnder(home.Root).Should().NotBeEmpty().And.OnlyContain(e => e.Owner == "root");
    }

    private void WriteConfig(Dictionary<string, string>? server = null, Dictionary<string, string>? global = null)
    {
        var options = new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=1", ["archiver"] = "on" };
        foreach (var (k, v) in server ?? [])
            options[k] = v;
        _home.WriteConfig(options, globalOptions: global);
    }

    private void AddWal(string name, byte seed)
    {
        var bytes = new byte[16 << 20];
        bytes[0] = seed;
        Directory.CreateDirectory(_home.IncomingDirectory());
        File.WriteAllBytes(Path.Combine(_home.IncomingDirectory(), name), bytes);
    }

    /// <summary>Every entry below <paramref name="root"/> (itself included) with its owner's name.</summary>
    private static IReadOnlyList<(string Path, string Owner)> OwnersUnder(string root) =>
        ProcessOutput("find", root, "-printf", "%u\t%p\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t', 2))
            .Select(p => (p[1], p[0]))
            .ToList();

    /// <summary>Path, owner, mode, size and mtime of every entry below the temp root.</summary>
    private IReadOnlyList<string> Snapshot() =>
        ProcessOutput("find", _home.Root, "-printf", "%p %u %m %s %T@\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();

    private static string ProcessOutput(string program, params string[] arguments)
    {
        var r = ProcessRunner.RunAsync(program, arguments, timeout: TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        r.ExitCode.Should().Be(0, r.ToString());
        return r.Stdout.TrimEnd('\n');
    }
}

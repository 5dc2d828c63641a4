using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// An I/O error is not a corrupt WAL (issue 13 §3): a source that cannot be read fails the run (exit 1)
/// with one line naming the file and the cause; it stays in incoming, nothing goes to errors, and the
/// next run archives it once it can be read. End to end over real WAL, with the built tool.
/// </summary>
[Collection(RealWalCollection.Name)]
public sealed class SourceReadErrorTests(RealWalFixture wal) : IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private ArchiveState Prepare(int segments, string validation = "on")
    {
        _home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = validation });
        _home.CreateServerDirectories();
        var names = wal.Segments.Take(segments).ToArray();
        wal.CopyTo(_home.IncomingDirectory(), names);
        foreach (var name in names) // just delivered: without validation only a recent segment is read before archiving
            File.SetLastWriteTimeUtc(Incoming(name), DateTime.UtcNow);
        return new ArchiveState(_home, names.ToDictionary(n => n, wal.Read, StringComparer.Ordinal));
    }

    private string Incoming(string name) => Path.Combine(_home.IncomingDirectory(), name);

    private void ShouldHaveFailedOnRead(ProcessResult result, string name, string cause)
    {
        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().Equal(
            $"EXCEPTION: {Incoming(name)} could not be read: {cause} (left in place, nothing archived)",
            "See log file for more details.");
        (result.Stdout + result.Stderr).Should().NotContain("   at ").And.NotContain("Exception:");
        (Directory.Exists(_home.ErrorsDirectory()) ? Directory.GetFileSystemEntries(_home.ErrorsDirectory()) : []).Should().BeEmpty();
        _home.ReadXlogDb().Should().BeEmpty();
    }

    [Theory]
    [InlineData("on", 1)]
    [InlineData("on", 2)]
    [InlineData("off", 1)]
    public async Task ArchiveWal_EIO_reading_a_source_exits_1_naming_it_and_leaves_it_in_place(string validation, int hit)
    {
        var state = Prepare(2, validation);
        var environment = new Dictionary<string, string?> { ["BARMAN_WAL_FAULT"] = $"read-source:{hit}", ["BARMAN_WAL_FAULT_ACTION"] = "eio" };

        var result = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], environment);

        ShouldHaveFailedOnRead(result, wal.Segments[hit - 1], "Input/output error (fault injected at read-source)");
        BarmanHome.ListFiles(_home.IncomingDirectory()).Should().BeEquivalentTo(wal.Segments.Take(2));
        state.CheckSafe().Should().BeEmpty();

        var retry = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);

        retry.ExitCode.Should().Be(0, retry.ToString());
        state.CheckComplete().Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_as_an_unprivileged_user_with_an_unreadable_source_exits_1_and_leaves_it_in_place()
    {
        // root reads anything: the tool runs as the home's unprivileged barman_user, as every end-to-end test does.
        _home.User.Should().NotBeNull("this test needs the tests to run as root with an unprivileged barman_user");
        var state = Prepare(2);
        _home.GiveToUser();
        File.SetUnixFileMode(Incoming(wal.Segments[1]), UnixFileMode.None);
        Task<ProcessResult> RunAsUser() => ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);

        var result = await RunAsUser();

        ShouldHaveFailedOnRead(result, wal.Segments[1], "Permission denied");
        BarmanHome.ListFiles(_home.IncomingDirectory()).Should().BeEquivalentTo(wal.Segments.Take(2));

        File.SetUnixFileMode(Incoming(wal.Segments[1]), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var retry = await RunAsUser();

        retry.ExitCode.Should().Be(0, retry.ToString());
        state.CheckComplete().Should().BeEmpty();
    }
}

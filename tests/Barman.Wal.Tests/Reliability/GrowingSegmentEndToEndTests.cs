using System.IO.Compression;
using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// A segment still being written in place in <c>incoming</c> (a plain <c>cp</c> archive_command) is not
/// a corrupt segment (issue 20): the built tool, run again and again while a writer fills a real WAL
/// segment slowly, archives it complete, once, in order, and never quarantines it; a segment that stays
/// short past <c>incomplete_wal_timeout</c> still is.
/// </summary>
[Collection(RealWalCollection.Name)]
public sealed class GrowingSegmentEndToEndTests(RealWalFixture wal) : IDisposable
{
    private const string WaitingPrefix = "\tWaiting: ";
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    private void Configure(Dictionary<string, string>? extra = null)
    {
        var options = new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on" };
        foreach (var (k, v) in extra ?? [])
            options[k] = v;
        _home.WriteConfig(options);
        _home.CreateServerDirectories();
    }

    private Task<ProcessResult> ArchiveAsync() => ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);

    private string Incoming(string name) => Path.Combine(_home.IncomingDirectory(), name);

    private string[] Errors() =>
        Directory.Exists(_home.ErrorsDirectory()) ? Directory.GetFiles(_home.ErrorsDirectory()).Select(Path.GetFileName).OfType<string>().ToArray() : [];

    private string[] Catalogued() => _home.ReadXlogDb().Select(l => l.Split('\t')[0]).ToArray();

    [Theory]
    [InlineData(null, false, "on")]
    [InlineData(null, false, "off")]
    [InlineData("gzip", false, "on")]
    [InlineData("gzip", true, "on")]
    public async Task ArchiveWal_runs_during_a_slow_in_place_copy_archive_the_segment_complete_once_and_in_order(
        string? compression, bool hook, string validation)
    {
        var extra = new Dictionary<string, string> { ["wal_header_validation"] = validation };
        if (compression is not null)
            extra["compression"] = compression;
        if (hook)
            extra["pre_archive_script"] = "/bin/true"; // hooks: one file at a time inside its bracket
        Configure(extra);
        var names = wal.Segments.Take(3).ToArray();
        var state = new ArchiveState(_home, names.ToDictionary(n => n, wal.Read, StringComparer.Ordinal));
        wal.CopyTo(_home.IncomingDirectory(), names[0], names[2]); // the one after the growing one is already there
        var writer = new SlowWalWriter(Incoming(names[1]), wal.Read(names[1]), chunks: 16, pause: TimeSpan.FromMilliseconds(200));
        var writing = writer.WriteAsync();

        var waits = 0;
        for (var run = 1; ; run++)
        {
            run.Should().BeLessThan(60, "the segment is archived soon after the copy ends");
            var result = await ArchiveAsync();

            result.ExitCode.Should().Be(0, result.ToString());
            result.Stderr.Should().BeEmpty();
            Errors().Should().BeEmpty("a segment being written is never quarantined\n" + result);
            names.Take(Catalogued().Length).Should().Equal(Catalogued(), "the catalog never holds WAL past a hole");
            var waiting = result.StdoutLines.Where(l => l.StartsWith(WaitingPrefix, StringComparison.Ordinal)).ToList();
            if (waiting.Count > 0)
            {
                waits++;
                waiting.Should().ContainSingle().Which.Should().MatchRegex(
                    $"^\\tWaiting: {names[1]} is still being written \\(.+, modified \\d+ s ago\\): left in incoming for the next run$");
                result.StdoutLines.Should().NotContain("\t" + names[2], "the batch stops at the growing segment");
            }

            writer.Release(); // the writer goes on once a run has seen the segment short
            if (writing.IsCompleted && !File.Exists(Incoming(names[1])) && !File.Exists(Incoming(names[2])))
                break;
        }

        await writing;
        waits.Should().BeGreaterThan(0, "the first run came by while the copy was writing");
        state.CheckComplete().Should().BeEmpty();
        Catalogued().Should().Equal(names);
        File.ReadAllText(_home.LogFile).Should().Contain($"pg1/{names[1]} may still be being written");
    }

    [Fact]
    public async Task ArchiveWal_short_recent_segment_waits_and_stops_the_batch_then_is_quarantined_once_it_stays_short()
    {
        Configure();
        var names = wal.Segments.Take(3).ToArray();
        wal.CopyTo(_home.IncomingDirectory(), names[0], names[2]);
        File.WriteAllBytes(Incoming(names[1]), wal.Read(names[1])[..(1 << 20)]);

        var first = await ArchiveAsync();

        first.ExitCode.Should().Be(0, first.ToString());
        first.StdoutLines.Should().HaveCount(3, first.ToString());
        first.StdoutLines.Take(2).Should().Equal("Processing xlog segments from file archival for pg1", "\t" + names[0]);
        first.StdoutLines[2].Should().MatchRegex(
            $"^\\tWaiting: {names[1]} is still being written \\(1048576 of 16777216 bytes, modified \\d+ s ago\\): left in incoming for the next run$");
        Catalogued().Should().Equal(names[0]);
        BarmanHome.ListFiles(_home.IncomingDirectory()).Should().BeEquivalentTo(names[1], names[2]);
        Errors().Should().BeEmpty();

        File.SetLastWriteTimeUtc(Incoming(names[1]), DateTime.UtcNow.AddHours(-1)); // the copy died an hour ago
        var second = await ArchiveAsync();

        second.ExitCode.Should().Be(0, second.ToString());
        second.StdoutLines.Should().Contain(
            $"\tError: {names[1]} was not archived: the file is 1048576 bytes, the segment size is 16777216 (truncated or padded). File moved to errors directory.");
        Errors().Should().ContainSingle().Which.Should().EndWith(".corrupt");
        Catalogued().Should().Equal(names[0], names[2]);
    }

    [Fact]
    public async Task ArchiveWal_with_incomplete_wal_timeout_0_judges_a_short_segment_at_once()
    {
        Configure(new() { ["incomplete_wal_timeout"] = "0" });
        File.WriteAllBytes(Incoming(wal.Segments[0]), wal.Read(wal.Segments[0])[..(1 << 20)]);

        var result = await ArchiveAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().NotContain(WaitingPrefix).And.Contain("(truncated or padded). File moved to errors directory.");
        Errors().Should().ContainSingle().Which.Should().EndWith(".corrupt");
    }

    [Fact]
    public async Task ArchiveWal_compressed_source_still_being_written_waits_then_is_archived_whole()
    {
        Configure();
        var name = wal.Segments[0];
        var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
            compressor.Write(wal.Read(name));
        var compressed = gzip.ToArray();
        File.WriteAllBytes(Incoming(name), compressed[..(compressed.Length / 2)]);

        var first = await ArchiveAsync();

        first.ExitCode.Should().Be(0, first.ToString());
        first.StdoutLines.Should().ContainSingle(l => l.StartsWith(WaitingPrefix, StringComparison.Ordinal))
            .Which.Should().Contain($"{name} is still being written (gzip stream not complete yet: ");
        Errors().Should().BeEmpty();
        File.Exists(Incoming(name)).Should().BeTrue();

        File.WriteAllBytes(Incoming(name), compressed); // the copy ends
        var second = await ArchiveAsync();

        second.ExitCode.Should().Be(0, second.ToString());
        Catalogued().Should().Equal(name);
        ArchiveState.Decode(Path.Combine(_home.WalsDirectory(), name[..16], name)).Should().Equal(wal.Read(name));
        Errors().Should().BeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    public async Task ArchiveWal_source_rewritten_after_it_was_listed_complete_is_not_committed(string? compression)
    {
        // The pre-archive hook runs after the listing and before the copy: it stands for a cp that
        // starts rewriting the file in place (a retried archive_command) once archive-wal judged it complete.
        var marker = Path.Combine(_home.Root, "touched");
        var script = Path.Combine(_home.Root, "rewrite.sh");
        File.WriteAllText(script, $"#!/bin/sh\n[ -e {marker} ] && exit 0\ntouch {marker}\ntouch -m -d '+5 seconds' \"$BARMAN_FILE\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var extra = new Dictionary<string, string> { ["pre_archive_script"] = script };
        if (compression is not null)
            extra["compression"] = compression;
        Configure(extra);
        var names = wal.Segments.Take(2).ToArray();
        var state = new ArchiveState(_home, names.ToDictionary(n => n, wal.Read, StringComparer.Ordinal));
        wal.CopyTo(_home.IncomingDirectory(), names);

        var first = await ArchiveAsync();

        first.ExitCode.Should().Be(0, first.ToString());
        first.StdoutLines.Should().ContainSingle(l => l.StartsWith(WaitingPrefix, StringComparison.Ordinal))
            .Which.Should().StartWith($"\tWaiting: {names[0]} is still being written (changed while it was being archived, modified ");
        first.StdoutLines.Should().NotContain("\t" + names[1]);
        Catalogued().Should().BeEmpty();
        _home.ListArchive().Should().BeEmpty("the staged copy is abandoned");
        Errors().Should().BeEmpty();

        var second = await ArchiveAsync();

        second.ExitCode.Should().Be(0, second.ToString());
        state.CheckComplete().Should().BeEmpty();
        Catalogued().Should().Equal(names);
    }
}

using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// The built barman-wal over real PostgreSQL WAL, SIGKILLed at every named step (BARMAN_WAL_FAULT) and
/// at random moments from outside; after each crash the "nothing lost" invariants hold, and a normal
/// run afterwards leaves everything archived once, byte-identical, with no leftovers.
/// </summary>
[Collection(RealWalCollection.Name)]
public sealed class CrashSafetyTests(RealWalFixture wal)
{
    private const int Killed = 137;

    /// <summary>Steps reached by every configuration, and those only one storage path has.</summary>
    private static readonly string[] Common =
        ["after-stage", "after-rename", "after-commit", "after-catalog-append", "before-source-removal", "after-source-removal"];

    public static TheoryData<string, string> Steps()
    {
        var data = new TheoryData<string, string>();
        foreach (var step in Common)
        {
            data.Add(step, "none");
            data.Add(step, "gzip");
        }

        data.Add("after-link", "none");
        data.Add("after-compress", "gzip");
        data.Add("before-fsync", "gzip");
        data.Add("after-write", "gzip");
        return data;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task ArchiveWal_killed_at_step_loses_nothing_and_next_run_completes(string step, string codec)
    {
        var problems = new List<string>();
        var runs = 0;
        for (var i = 0; i < ReliabilitySettings.Iterations; i++)
        {
            var hit = 1 + (i + step.Length) % 3; // the 1st, 2nd or 3rd time the step is reached
            using var home = new BarmanHome();
            var state = Prepare(home, codec);

            var crashed = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], Fault($"{step}:{hit}"));
            runs++;
            crashed.ExitCode.Should().Be(Killed, $"{step}:{hit} must be reached and kill the process\n{crashed}");
            problems.AddRange(state.CheckSafe().Select(p => $"after kill at {step}:{hit}: {p}"));

            var normal = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], Fault(null));
            runs++;
            normal.ExitCode.Should().Be(0, normal.ToString());
            normal.Stdout.Should().NotContain("Error:");
            problems.AddRange(state.CheckComplete().Select(p => $"after kill at {step}:{hit} and a normal run: {p}"));
        }

        ReliabilitySettings.Report($"kill at {step} ({codec})", runs, ReliabilitySettings.Iterations, problems);
        problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    public async Task ArchiveWal_killed_from_outside_at_random_moments_loses_nothing(string codec)
    {
        var random = new Random(20261201 + codec.Length);
        var problems = new List<string>();
        int runs = 0, kills = 0;
        for (var i = 0; i < 10 * ReliabilitySettings.Iterations; i++)
        {
            using var home = new BarmanHome();
            var state = Prepare(home, codec);
            // two crashes in a row on the same directories, then a normal run
            for (var k = 0; k < 2; k++)
            {
                var delay = TimeSpan.FromMilliseconds(random.Next(150, codec == "gzip" ? 2500 : 1200));
                var crashed = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], Fault(null), delay);
                runs++;
                if (crashed.TimedOut)
                    kills++;
                else
                    crashed.ExitCode.Should().Be(0, crashed.ToString());
                problems.AddRange(state.CheckSafe().Select(p => $"after SIGKILL at {delay.TotalMilliseconds} ms: {p}"));
            }

            var normal = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], Fault(null));
            runs++;
            normal.ExitCode.Should().Be(0, normal.ToString());
            problems.AddRange(state.CheckComplete().Select(p => $"random kills then a normal run: {p}"));
        }

        ReliabilitySettings.Report($"SIGKILL from outside at random moments ({codec})", runs, kills, problems);
        kills.Should().BeGreaterThan(0, "some runs must have been killed mid-way");
        problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    public async Task ArchiveWal_killed_at_random_moments_while_a_cp_writes_a_segment_in_place_loses_nothing(string codec)
    {
        var random = new Random(20261207 + codec.Length);
        var problems = new List<string>();
        int runs = 0, kills = 0;
        for (var i = 0; i < ReliabilitySettings.Iterations; i++)
        {
            using var home = new BarmanHome();
            Prepare(home, codec);
            var growing = wal.Segments[3]; // the next segment arrives by a plain cp, in place
            var names = wal.Segments.Take(4).Append(wal.BackupLabel).ToArray();
            var state = new ArchiveState(home, names.ToDictionary(n => n, wal.Read, StringComparer.Ordinal));
            var writer = new SlowWalWriter(Path.Combine(home.IncomingDirectory(), growing), wal.Read(growing), chunks: 16, TimeSpan.FromMilliseconds(150)) { HoldAfterChunks = 0 };
            var writing = writer.WriteAsync();
            while (!writing.IsCompleted)
            {
                var delay = TimeSpan.FromMilliseconds(random.Next(150, 1500));
                var run = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], Fault(null), delay);
                runs++;
                if (run.TimedOut)
                    kills++;
                else
                    run.ExitCode.Should().Be(0, run.ToString());
                var copying = !writing.IsCompleted;
                problems.AddRange(state.CheckSafe()
                    .Where(p => !(copying && p == $"{growing}: the source in incoming changed")) // still being copied
                    .Select(p => $"while a cp writes {growing}, after a run killed at {delay.TotalMilliseconds} ms: {p}"));
            }

            await writing;
            problems.AddRange(state.CheckSafe().Select(p => $"after the cp of {growing}: {p}"));
            var normal = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], Fault(null));
            runs++;
            normal.ExitCode.Should().Be(0, normal.ToString());
            problems.AddRange(state.CheckComplete().Select(p => $"a cp in place, random kills, then a normal run: {p}"));
        }

        ReliabilitySettings.Report($"SIGKILL at random moments while a cp writes a segment ({codec})", runs, kills, problems);
        problems.Should().BeEmpty();
    }

    private ArchiveState Prepare(BarmanHome home, string codec)
    {
        var options = new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on" };
        if (codec != "none")
            options["compression"] = codec;
        home.WriteConfig(options);
        home.CreateServerDirectories();
        var names = wal.Segments.Take(3).Append(wal.BackupLabel).ToArray();
        wal.CopyTo(home.IncomingDirectory(), names);
        return new ArchiveState(home, names.ToDictionary(n => n, wal.Read, StringComparer.Ordinal));
    }

    private static Dictionary<string, string?> Fault(string? value) => new() { [Barman.Wal.Platform.FaultInjection.Variable] = value };
}

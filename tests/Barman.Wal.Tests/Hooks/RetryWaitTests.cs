using Barman.Wal.Catalog;
using Barman.Wal.Hooks;
using Barman.Wal.Tests.Encryption;

namespace Barman.Wal.Tests.Hooks;

/// <summary>The retry loop's waits: 3 s after each of five consecutive failures, then 60 s, then again (spec: hooks-encryption §4).</summary>
public sealed class RetryWaitTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("barman-wal-retry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The system clock, except that every timer fires at once; the requested waits are recorded.</summary>
    private sealed class ImpatientClock : TimeProvider
    {
        public List<TimeSpan> Waits { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (Waits)
                Waits.Add(dueTime);
            return base.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }

    [Fact]
    public async Task RunAsync_retry_script_failing_seven_times_waits_3_3_3_3_3_60_3()
    {
        var counter = Path.Combine(_directory, "attempts");
        var command = $"echo x >> {counter}; [ $(wc -l < {counter}) -ge 8 ] && exit 0; exit 1";
        var script = HookScript.For("pre_archive_retry_script", command)!;
        var clock = new ImpatientClock();
        var log = new InMemoryLog();
        var runner = new HookRunner(new HookContext("pg1", "/etc/barman.conf", "3.18.0", null), log.Logger, clock);
        var wal = new WalFileInfo { Name = "000000010000000000000001", Size = 1, Time = 1.5 };

        var status = await runner.RunAsync(script, wal, "/x", null, CancellationToken.None);

        status.Should().Be(0);
        File.ReadAllLines(counter).Should().HaveCount(8);
        var three = TimeSpan.FromSeconds(3);
        clock.Waits.Should().Equal(three, three, three, three, three, TimeSpan.FromSeconds(60), three);
        log.Lines.Should().ContainSingle(l => l == "Debug barman.hooks Reached 5 failures. Take a nap then retry again in 60 seconds");
        log.Lines.Count(l => l == "Debug barman.hooks Retry again in 3 seconds").Should().Be(6);
    }
}

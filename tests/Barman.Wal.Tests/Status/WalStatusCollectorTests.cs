using System.Globalization;
using Barman.Wal.Locking;
using Barman.Wal.Status;
using Barman.Wal.Streaming;
using Barman.Wal.Tests.Configuration;

namespace Barman.Wal.Tests.Status;

/// <summary>barman-wal's own status values from real directories, catalog and lock, and their Prometheus form.</summary>
public sealed class WalStatusCollectorTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static void WriteFile(string directory, string name, int bytes, DateTime mtimeUtc)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, mtimeUtc);
    }

    [Fact]
    public async Task Collects_queues_catalog_timelines_errors_and_receive_wal_from_the_files()
    {
        var server = _sandbox.LoadServer("archiver = on\nstreaming_archiver = on\nslot_name = s\nstreaming_conninfo = host=pg user=barman\n");
        var now = new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);
        WriteFile(server.IncomingWalsDirectory, "000000010000000000000007", 100, now.UtcDateTime.AddMinutes(-10));
        WriteFile(server.IncomingWalsDirectory, "000000010000000000000008", 50, now.UtcDateTime.AddMinutes(-2));
        WriteFile(server.IncomingWalsDirectory, ".hidden", 9, now.UtcDateTime.AddDays(-1));
        WriteFile(server.StreamingWalsDirectory, "000000010000000000000009.partial", 70, now.UtcDateTime.AddDays(-1));
        WriteFile(server.ErrorsDirectory, "000000010000000000000003.20261207T100000.duplicate", 1, now.UtcDateTime);
        Directory.CreateDirectory(server.WalsDirectory);
        var time = now.AddSeconds(-90).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(server.WalsDirectory, "pg-xlog.db"),
            "000000010000000000000001\t10\t1.0\tNone\n" + "000000010000000000000002\t10\t2.0\tNone\n" + "00000002.history\t1\t3.0\tNone\n" +
            "000000020000000000000003\t10\t4.0\tNone\n" + $"000000020000000000000004\t10\t{time}.5\tNone\n");
        Directory.CreateDirectory(server.BarmanLockDirectory);
        using var held = LockFile.TryAcquire(ReceiveWalLock.PathFor(server.BarmanLockDirectory, server.Name));

        var status = await WalStatusCollector.CollectAsync(server, new FixedClock(now), CancellationToken.None);

        status.Incoming.Should().Be(new QueueStatus(2, 150, TimeSpan.FromMinutes(10)));
        status.Streaming.Should().Be(new QueueStatus(0, 0, null));
        status.LastArchived!.Name.Should().Be("000000020000000000000004");
        status.LastArchivedAge.Should().Be(TimeSpan.FromSeconds(89.5));
        status.Timelines.Should().Equal(
            new TimelineRange(1, "000000010000000000000001", "000000010000000000000002", 2),
            new TimelineRange(2, "000000020000000000000003", "000000020000000000000004", 2));
        status.ErrorFiles.Should().Be(1);
        status.ReceiveWalPid.Should().Be(Environment.ProcessId);
        status.CatalogProblem.Should().BeNull();

        var text = PrometheusStatusWriter.Render([status]);
        var samples = PrometheusText.Parse(text);
        samples[("barman_wal_incoming_queue_files", "pg")].Should().Be(2);
        samples[("barman_wal_incoming_queue_bytes", "pg")].Should().Be(150);
        samples[("barman_wal_incoming_oldest_age_seconds", "pg")].Should().Be(600);
        samples[("barman_wal_streaming_queue_files", "pg")].Should().Be(0);
        samples.Should().NotContainKey(("barman_wal_streaming_oldest_age_seconds", "pg"), "an empty queue has no oldest file");
        samples[("barman_wal_last_archived_age_seconds", "pg")].Should().Be(89.5);
        samples[("barman_wal_errors_files", "pg")].Should().Be(1);
        samples[("barman_wal_receive_wal_up", "pg")].Should().Be(1);
        samples[("barman_wal_catalog_readable", "pg")].Should().Be(1);
    }

    [Fact]
    public async Task An_empty_server_has_empty_values_and_a_damaged_catalog_is_reported()
    {
        var server = _sandbox.LoadServer("archiver = on\n");
        var empty = await WalStatusCollector.CollectAsync(server, TimeProvider.System, CancellationToken.None);
        empty.LastArchived.Should().BeNull();
        empty.Timelines.Should().BeEmpty();
        empty.ReceiveWalPid.Should().BeNull();

        Directory.CreateDirectory(server.WalsDirectory);
        File.WriteAllText(Path.Combine(server.WalsDirectory, "pg-xlog.db"), "garbage\n");
        var damaged = await WalStatusCollector.CollectAsync(server, TimeProvider.System, CancellationToken.None);
        damaged.CatalogProblem.Should().Contain("pg-xlog.db");

        var samples = PrometheusText.Parse(PrometheusStatusWriter.Render([empty, damaged with { Server = "pg\"2" }]));
        samples[("barman_wal_receive_wal_up", "pg")].Should().Be(0);
        samples[("barman_wal_catalog_readable", "pg\"2")].Should().Be(0);
        samples.Should().NotContainKey(("barman_wal_last_archived_age_seconds", "pg"));
    }
}

using Barman.Wal.Catalog;
using Barman.Wal.Status;

namespace Barman.Wal.Tests.Status;

/// <summary>The value texts of status: retention policy, ctime, barman-wal's own lines.</summary>
public sealed class StatusTextTests
{
    [Theory]
    [InlineData("REDUNDANCY 2", "REDUNDANCY 2")]
    [InlineData(" redundancy 3 ", "REDUNDANCY 3")]
    [InlineData("RECOVERY WINDOW OF 2 WEEKS", "RECOVERY WINDOW OF 2 WEEKS")]
    [InlineData("recovery window of 1 day", "RECOVERY WINDOW OF 1 DAYS")]
    [InlineData("Recovery Window Of 3 months", "RECOVERY WINDOW OF 3 MONTHS")]
    [InlineData("RECOVERY WINDOW OF 2 HOURS", null)]
    [InlineData("KEEP 2", null)]
    [InlineData("", null)]
    public void Retention_policy_is_normalised_or_not_enforced(string value, string? expected)
    {
        RetentionText.Normalise(value).Should().Be(expected);
    }

    [Fact]
    public void CTime_pads_the_day_with_a_space()
    {
        BarmanStatusLines.CTime(new DateTimeOffset(2026, 12, 7, 21, 36, 44, TimeSpan.Zero)).Should().Be("Mon Dec  7 21:36:44 2026");
        BarmanStatusLines.CTime(new DateTimeOffset(2026, 11, 17, 1, 2, 3, TimeSpan.Zero)).Should().Be("Tue Nov 17 01:02:03 2026");
    }

    [Fact]
    public void Barman_wal_lines_describe_queues_catalog_timelines_errors_and_receive_wal()
    {
        var status = new ServerWalStatus("pg1",
            new QueueStatus(1, 16 * 1024 * 1024, TimeSpan.FromSeconds(61)),
            new QueueStatus(0, 0, null),
            new WalFileInfo { Name = "000000020000000000000009" },
            TimeSpan.FromMinutes(5),
            [new TimelineRange(1, "000000010000000000000001", "000000010000000000000008", 8), new TimelineRange(2, "000000020000000000000008", "000000020000000000000009", 2)],
            3,
            4242,
            null);

        WalStatusLines.Of(status).Select(l => $"{l.Key}|{l.Label}: {l.Value}").Should().Equal(
            "barman_wal_incoming_queue|barman-wal incoming queue: 1 file, 16.0 MiB, oldest 1 minute, 1 second old",
            "barman_wal_streaming_queue|barman-wal streaming queue: empty",
            "barman_wal_last_archived|barman-wal last WAL archived: 000000020000000000000009, 5 minutes ago",
            "barman_wal_timeline_1|barman-wal timeline 1: 000000010000000000000001 to 000000010000000000000008 (8 segments)",
            "barman_wal_timeline_2|barman-wal timeline 2: 000000020000000000000008 to 000000020000000000000009 (2 segments)",
            "barman_wal_errors|barman-wal files in errors: 3",
            "barman_wal_receive_wal|barman-wal receive-wal running: True (pid 4242)");

        WalStatusLines.Of(status with { CatalogProblem = "xlog.db line 3: bad", ReceiveWalPid = null })
            .Select(l => l.Value).Should().Contain("FAILED (xlog.db line 3: bad)").And.EndWith("False");
    }
}

using Barman.Wal.Backups;
using Barman.Wal.Catalog;

namespace Barman.Wal.Tests.Backups;

/// <summary>The WAL range of a backup over catalog lines (spec: backup-catalog §5).</summary>
public sealed class BackupWalRangeTests
{
    private const long Segment = 16 * 1024 * 1024;

    private static BackupInfo Backup(string id, string? begin, string? end) =>
        new(id, BackupStatus.Done, "/x", false) { BeginWal = begin, EndWal = end };

    private static WalFileInfo Wal(string name, double time = 1700000000, long size = Segment) => new() { Name = name, Size = size, Time = time };

    [Fact]
    public void Entries_after_end_wal_are_wal_until_next_and_the_last_in_catalog_order_is_last()
    {
        var catalog = new[]
        {
            Wal("000000010000000000000001"),
            Wal("000000010000000000000002", time: 1700000100),
            Wal("000000010000000000000002.00000028.backup", size: 300),
            Wal("000000010000000000000003", time: 1700000300),
            Wal("000000010000000000000004.partial"),
            Wal("000000020000000000000005"),
            Wal("00000002.history"),
            Wal("000000010000000000000004", time: 1700000200),
        };

        var range = BackupWalRange.Of(Backup("b", "000000010000000000000002", "000000010000000000000002"), null, catalog);

        range.OwnCount.Should().Be(1);
        range.OwnSize.Should().Be(Segment);
        range.UntilNextSize.Should().Be(2 * Segment, "…03 and …04; not the .backup, .partial, history or timeline-2 entries");
        range.Last!.Name.Should().Be("000000010000000000000004", "the last line walked, although …03 has a later time");
    }

    [Fact]
    public void The_walk_stops_at_the_first_name_past_the_next_backups_end_wal()
    {
        var catalog = new[] { Wal("000000010000000000000001"), Wal("000000010000000000000002"), Wal("000000010000000000000003"), Wal("000000010000000000000004") };

        var range = BackupWalRange.Of(Backup("a", "000000010000000000000001", "000000010000000000000001"),
            Backup("b", "000000010000000000000002", "000000010000000000000003"), catalog);

        range.OwnCount.Should().Be(1);
        range.UntilNextSize.Should().Be(2 * Segment);
        range.Last!.Name.Should().Be("000000010000000000000003");
    }

    [Fact]
    public void Next_end_wal_is_compared_across_timelines_as_Barman_does()
    {
        var catalog = new[] { Wal("000000020000000000000006"), Wal("000000020000000000000007") };

        var range = BackupWalRange.Of(Backup("a", "000000020000000000000006", "000000020000000000000006"),
            Backup("b", "000000010000000000000007", "000000010000000000000008"), catalog);

        range.Should().Be(BackupWalRange.Empty);
    }

    [Fact]
    public void A_backup_without_begin_wal_has_an_empty_range()
    {
        BackupWalRange.Of(Backup("a", null, null), null, [Wal("000000010000000000000001")]).Should().Be(BackupWalRange.Empty);
    }
}

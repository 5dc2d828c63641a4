using Barman.Wal.Backups;
using Barman.Wal.Catalog;
using Barman.Wal.Retention;
using Barman.Wal.Tests.Backups;
using Barman.Wal.Tests.Compression;

namespace Barman.Wal.Tests.Retention;

public sealed class PurgePlannerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Wal(int segment, int timeline = 1) => $"{timeline:X8}00000000{segment:X8}";

    private static WalFileInfo Line(string name, long size = 10, double? time = null) =>
        new() { Name = name, Size = size, Time = time ?? Now.ToUnixTimeSeconds() };

    private BackupCatalog NoBackups => BackupCatalog.Load(_temp.Path, Path.Combine(_temp.Path, "base"));

    [Theory]
    [InlineData("50GB", 50_000_000_000L)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("50G", 50_000_000_000L)]
    [InlineData("2Ki", 2048L)]
    [InlineData("1000000", 1_000_000L)]
    [InlineData("lots", null)]
    [InlineData("5 XB", null)]
    public void Parses_sizes(string text, long? bytes) => PurgePolicy.ParseSize(text).Should().Be(bytes);

    [Fact]
    public void Nothing_is_decided_without_backups_or_policy() =>
        PurgePlanner.Plan([Line(Wal(1))], [], NoBackups, PurgePolicy.None, Now).Should().BeNull();

    [Fact]
    public void Several_options_keep_the_most_and_the_newest_segment_of_each_timeline_stays()
    {
        WalFileInfo[] catalog = [Line(Wal(1)), Line(Wal(2)), Line(Wal(3)), Line("00000002.history"), Line(Wal(4)), Line(Wal(1, 2))];

        var plan = PurgePlanner.Plan(catalog, [], NoBackups, new PurgePolicy(null, 25, Wal(9, 2)), Now)!;

        // --before alone would take all of timeline 1 but …04 (the newest); 25 bytes keep …04 and 2/…01 only
        plan.Removed.Select(w => w.Name).Should().Equal(Wal(1), Wal(2), Wal(3));
        plan.Kept.Select(w => w.Name).Should().Equal("00000002.history", Wal(4), Wal(1, 2));
    }

    [Fact]
    public void Keep_days_with_nothing_recent_keeps_only_the_newest_segment_and_orphans_are_chosen_too()
    {
        var old = Now.AddDays(-30).ToUnixTimeSeconds();
        WalFileInfo[] catalog = [Line(Wal(1), time: old), Line(Wal(3), time: old)];

        var plan = PurgePlanner.Plan(catalog, [Line(Wal(2), time: old)], NoBackups, new PurgePolicy(7, null, null), Now)!;

        plan.Removed.Select(w => w.Name).Should().Equal(Wal(1));
        plan.Orphans.Select(w => w.Name).Should().Equal(Wal(2));
        plan.Kept.Select(w => w.Name).Should().Equal(Wal(3));
        plan.TotalSize.Should().Be(20);
    }

    [Fact]
    public void With_backups_a_policy_can_only_keep_more_and_invalid_names_are_dropped()
    {
        BarmanBackups.Write(_temp.Path, "20261207T100000", "DONE", Wal(5), Wal(5));
        var backups = BackupCatalog.Load(_temp.Path, Path.Combine(_temp.Path, "base"));
        WalFileInfo[] catalog = [Line(Wal(1)), Line("junk"), Line(Wal(2)), Line(Wal(3)), Line(Wal(5))];

        var barman = PurgePlanner.Plan(catalog, [], backups, PurgePolicy.None, Now)!;
        var both = PurgePlanner.Plan(catalog, [], backups, new PurgePolicy(null, null, Wal(2)), Now)!;

        barman.Removed.Select(w => w.Name).Should().Equal(Wal(1), Wal(2), Wal(3));
        barman.InvalidNames.Should().Equal("junk");
        barman.Kept.Select(w => w.Name).Should().Equal(Wal(5));
        both.Removed.Select(w => w.Name).Should().Equal(Wal(1));
    }
}

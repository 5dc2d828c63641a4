using Barman.Wal.Verification;
using Barman.Wal.Xlog;

namespace Barman.Wal.Tests.Verification;

public sealed class ContinuityCheckTests
{
    private static readonly SegmentNumbering Numbering = new(SegmentNumbering.DefaultSegmentSize);

    private static IEnumerable<WalName> Names(params string[] names) => names.Select(WalName.Parse);

    private static string Seg(uint timeline, uint segment, uint log = 0) => WalName.Encode(timeline, log, segment);

    private static ContinuityResult Check(IEnumerable<WalName> names, params (uint Timeline, string Text)[] histories) =>
        ContinuityCheck.Check(names, histories.ToDictionary(h => h.Timeline, h => TimelineHistory.TryParse(h.Timeline, h.Text)!), Numbering);

    [Fact]
    public void A_contiguous_timeline_across_a_log_boundary_has_no_problem()
    {
        var result = Check(Names(Seg(1, 0xFE), Seg(1, 0xFF), Seg(1, 0, log: 1), Seg(1, 1, log: 1)));

        result.Problems.Should().BeEmpty();
        result.Timelines.Should().Equal(new TimelineRange(1, Seg(1, 0xFE), Seg(1, 1, log: 1), 4));
    }

    [Fact]
    public void Gaps_are_reported_as_ranges_once_each()
    {
        var result = Check(Names(Seg(1, 1), Seg(1, 2), Seg(1, 6), Seg(1, 8)));

        result.Problems.Select(p => (p.Kind, p.Message)).Should().Equal(
            (WalProblemKind.Gap, $"missing {Seg(1, 3)} to {Seg(1, 5)} (3 segments) on timeline 1"),
            (WalProblemKind.Gap, $"missing {Seg(1, 7)} (1 segment) on timeline 1"));
    }

    [Fact]
    public void A_switch_agreeing_with_its_history_file_and_partial_is_clean()
    {
        var names = Names(Seg(1, 3), Seg(1, 4), Seg(1, 5) + ".partial", Seg(2, 5), Seg(2, 6), "00000002.history");

        var result = Check(names, (2, "1\t0/5000100\tno recovery target specified\n"));

        result.Problems.Should().BeEmpty();
        result.Partials.Should().Be(1);
    }

    [Fact]
    public void A_missing_history_file_is_reported_once_and_the_partial_is_not_blamed_for_it()
    {
        var result = Check(Names(Seg(1, 3), Seg(1, 4), Seg(1, 5) + ".partial", Seg(2, 5), Seg(2, 6)));

        result.Problems.Should().ContainSingle().Which.Should().Be(new WalProblem(WalProblemKind.MissingHistory, "00000002.history",
            "timeline 2 has archived WAL but its history file 00000002.history is missing or unreadable: recovery cannot follow the switch to it"));
    }

    [Fact]
    public void Segments_before_the_switch_point_and_a_parent_ending_early_are_reported()
    {
        var early = Check(Names(Seg(1, 3), Seg(2, 4), Seg(2, 5), "00000002.history"), (2, "1\t0/5000000\treason\n"));
        early.Problems.Should().ContainSingle().Which.Kind.Should().Be(WalProblemKind.TimelineSwitch);

        var shortParent = Check(Names(Seg(1, 1), Seg(1, 2), Seg(2, 5), "00000002.history"), (2, "1\t0/5000000\treason\n"));
        shortParent.Problems.Should().ContainSingle().Which.Message.Should().Be(
            $"missing {Seg(1, 3)} to {Seg(1, 4)} (2 segments) on timeline 1 before the switch to timeline 2 at 0/5000000");
    }

    [Fact]
    public void A_partial_without_a_switch_and_a_backup_beyond_the_archive_are_reported()
    {
        var result = Check(Names(Seg(1, 1), Seg(1, 2) + ".partial", Seg(1, 9) + ".00000028.backup"));

        result.Problems.Select(p => p.Kind).Should().Equal(WalProblemKind.UnaccountedPartial, WalProblemKind.BackupWalMissing);
    }

    [Fact]
    public void History_files_parse_lsns_and_reject_garbage()
    {
        TimelineHistory.TryParse(3, "1\t0/5000060\tno recovery target specified\n\n2\t1/A0000028\tat restore point\n")!
            .Creation.Should().Be(new TimelineSwitch(2, 0x1_A000_0028));
        TimelineHistory.TryParse(2, "garbage\n").Should().BeNull();
    }
}

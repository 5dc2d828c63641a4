using Barman.Wal.Streaming;

namespace Barman.Wal.Tests.Streaming;

public sealed class ReceiveWalResetTests
{
    private const long Segment = 16L * 1024 * 1024;

    [Fact]
    public void Positions_without_slot_restart_both_are_the_current_wal()
    {
        ReceiveWalReset.Positions(1, Segment, 0x0C00_0028, slotRestartLsn: null)
            .Should().Be(("00000001000000000000000C", "00000001000000000000000C"));
    }

    [Fact]
    public void Positions_with_slot_restart_lsn_use_it_and_boundary_is_taken_at_face_value()
    {
        ReceiveWalReset.Positions(2, Segment, 0x1_0C00_0000, slotRestartLsn: 0x1_0900_0000)
            .Should().Be(("00000002000000010000000C", "000000020000000100000009"));
    }

    [Theory]
    [InlineData(0x0C00_0028UL, "00000001000000000000000C")]
    [InlineData(0x0C00_0000UL, "00000001000000000000000B")]
    public void CurrentXlog_exact_boundary_is_the_previous_segment(ulong lsn, string expected) =>
        ReceiveWalReset.CurrentXlog(1, Segment, lsn).Should().Be(expected);

    [Fact]
    public void Plan_empty_directory_is_aligned()
    {
        ReceiveWalReset.Plan([], "00000001000000000000000C", "00000001000000000000000C").Action.Should().Be(ReceiveWalResetAction.Aligned);
    }

    [Theory]
    [InlineData("00000001000000000000000C.partial")]
    [InlineData("00000001000000000000000C")]
    public void Plan_last_entry_at_restart_wal_is_aligned(string last)
    {
        var plan = ReceiveWalReset.Plan(["000000010000000000000007", last], "00000001000000000000000D", "00000001000000000000000C");

        plan.Action.Should().Be(ReceiveWalResetAction.Aligned);
        plan.Last.Should().Be(last);
    }

    [Fact]
    public void Plan_partial_of_current_wal_counts_as_ahead()
    {
        var plan = ReceiveWalReset.Plan(["00000001000000000000000C.partial"], "00000001000000000000000C", "000000010000000000000009");

        plan.Action.Should().Be(ReceiveWalResetAction.Ahead);
        plan.Last.Should().Be("00000001000000000000000C.partial");
    }

    [Fact]
    public void Plan_behind_partial_is_replaced_by_restart_partial_and_full_files_stay()
    {
        var plan = ReceiveWalReset.Plan(
            ["000000010000000000000007", "000000010000000000000008.partial", ".hidden", "zzz-not-wal"],
            "00000001000000000000000C",
            "00000001000000000000000C");

        plan.Should().Be(new ReceiveWalResetPlan(
            ReceiveWalResetAction.Reset, "000000010000000000000008.partial", "000000010000000000000008.partial", "00000001000000000000000C.partial"));
    }

    [Fact]
    public void Plan_last_full_segment_behind_creates_partial_without_removing()
    {
        var plan = ReceiveWalReset.Plan(["000000010000000000000008"], "00000001000000000000000C", "00000001000000000000000C");

        plan.Should().Be(new ReceiveWalResetPlan(ReceiveWalResetAction.Reset, "000000010000000000000008", null, "00000001000000000000000C.partial"));
    }

    [Fact]
    public void Plan_no_wal_entry_takes_the_smallest_name_as_barman_does()
    {
        var plan = ReceiveWalReset.Plan(["b-file", "a-file"], "00000001000000000000000C", "00000001000000000000000C");

        plan.Last.Should().Be("a-file");
        plan.Action.Should().Be(ReceiveWalResetAction.Ahead, "'a-file' sorts after a WAL name");
    }
}

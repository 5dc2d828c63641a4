using Barman.Wal.Xlog;

namespace Barman.Wal.Tests.Xlog;

public sealed class WalNameTests
{
    [Theory]
    [InlineData("000000010000000000000001", WalFileKind.Segment, 1u, 0u, 1u)]
    [InlineData("0000000300000001000000A2.partial", WalFileKind.Partial, 3u, 1u, 0xA2u)]
    [InlineData("000000010000000000000003.00000028.backup", WalFileKind.BackupLabel, 1u, 0u, 3u)]
    [InlineData("00000002.history", WalFileKind.History, 2u, 0u, 0u)]
    [InlineData("0000000100000000000000a1", WalFileKind.Segment, 1u, 0u, 0xA1u)]
    [InlineData("/some/dir/000000010000000000000001", WalFileKind.Segment, 1u, 0u, 1u)]
    public void Parse_valid_name_gives_kind_and_fields(string path, WalFileKind kind, uint timeline, uint log, uint segment)
    {
        var name = WalName.Parse(path);
        name.Kind.Should().Be(kind);
        name.Timeline.Should().Be(timeline);
        name.Log.Should().Be(log);
        name.Segment.Should().Be(segment);
    }

    [Theory]
    [InlineData("000000010000000000000001.gz")]
    [InlineData("000000010000000000000001.bz2")]
    [InlineData("000000010000000000000001.tmp")]
    [InlineData("000000010000000000000001.ready")]
    [InlineData("000000010000000000000001.done")]
    [InlineData("000000010000000000000001.partial.gz")]
    [InlineData("00000001000000000000001")]
    [InlineData("0000000100000000000000011")]
    [InlineData("00000002.HISTORY")]
    [InlineData("0000000100000000 000000001")]
    [InlineData("00000001000000000000000G")]
    [InlineData("000000010000000000000003.0000028.backup")]
    [InlineData("000000010000000000000003.00000028.BACKUP")]
    [InlineData("foo.txt")]
    [InlineData("")]
    [InlineData("archive_status")]
    [InlineData("000000010000000000000001\n")]
    public void TryParse_non_wal_name_is_false(string name)
    {
        WalName.TryParse(name, out _).Should().BeFalse();
        WalName.IsAnyXlogFile(name).Should().BeFalse();
        var parse = () => WalName.Parse(name);
        parse.Should().Throw<BadXlogSegmentNameException>();
    }

    [Theory]
    [InlineData("000000010000000000000001", true, false, false, false)]
    [InlineData("000000010000000000000001.partial", false, true, false, false)]
    [InlineData("000000010000000000000001.00000028.backup", false, false, true, false)]
    [InlineData("00000001.history", false, false, false, true)]
    public void Predicates_match_exactly_one_kind(string name, bool wal, bool partial, bool backup, bool history)
    {
        WalName.IsWalFile(name).Should().Be(wal);
        WalName.IsPartialFile(name).Should().Be(partial);
        WalName.IsBackupFile(name).Should().Be(backup);
        WalName.IsHistoryFile(name).Should().Be(history);
        WalName.IsAnyXlogFile(name).Should().BeTrue();
    }

    [Theory]
    [InlineData("000000010000000000000001", "0000000100000000", "0000000100000000/000000010000000000000001")]
    [InlineData("0000000300000001000000A2.partial", "0000000300000001", "0000000300000001/0000000300000001000000A2.partial")]
    [InlineData("000000010000000000000003.00000028.backup", "0000000100000000", "0000000100000000/000000010000000000000003.00000028.backup")]
    [InlineData("00000002.history", "", "00000002.history")]
    [InlineData("0000000a0000000b000000a1", "0000000A0000000B", "0000000A0000000B/0000000a0000000b000000a1")]
    public void HashDirectory_is_upper_case_timeline_and_log(string name, string hashDir, string relative)
    {
        var parsed = WalName.Parse(name);
        parsed.HashDirectory.Should().Be(hashDir);
        parsed.RelativePath.Should().Be(relative);
    }

    [Fact]
    public void Encode_is_upper_case_zero_padded()
    {
        WalName.Encode(1, 0, 0xA1).Should().Be("0000000100000000000000A1");
        WalName.HistoryName(0x1F).Should().Be("0000001F.history");
    }

    [Fact]
    public void Ordinal_sort_puts_history_between_timelines()
    {
        string[] names =
        [
            "000000020000000000000001", "00000002.history", "000000010000000000000003.partial",
            "000000010000000000000003.00000028.backup", "000000010000000000000003",
        ];
        Array.Sort(names, StringComparer.Ordinal);
        names.Should().Equal(
            "000000010000000000000003", "000000010000000000000003.00000028.backup",
            "000000010000000000000003.partial", "00000002.history", "000000020000000000000001");
    }

    [Theory]
    [InlineData(16L * 1024 * 1024, "000000010000000000000001", 0x1000000UL)]
    [InlineData(64L * 1024 * 1024, "000000010000000000000001", 0x4000000UL)]
    [InlineData(16L * 1024 * 1024, "0000000100000001000000FF", 0x1FF000000UL)]
    public void StartLsn_follows_segment_size(long size, string name, ulong lsn)
    {
        new WalSegmentArithmetic(size).StartLsn(WalName.Parse(name)).Should().Be(lsn);
    }

    [Theory]
    [InlineData("0/3000000", "000000010000000000000003")]
    [InlineData("0/2FFFFFF", "000000010000000000000002")]
    [InlineData("1/FF000010", "0000000100000001000000FF")]
    public void NameOf_takes_boundary_lsn_at_face_value(string lsn, string expected)
    {
        new WalSegmentArithmetic(WalSegmentArithmetic.DefaultSegmentSize)
            .NameOf(1, WalSegmentArithmetic.ParseLsn(lsn)).Should().Be(expected);
    }
}

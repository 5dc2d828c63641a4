using System.Buffers.Binary;
using Barman.Wal.Xlog;

namespace Barman.Wal.Tests.Reliability;

/// <summary>The §7 rules over the header of a real PostgreSQL 15 segment (the compression fixture).</summary>
public sealed class WalHeaderValidatorTests
{
    private const string Name = "000000010000000000000004";
    private const long Size = 16 * 1024 * 1024;
    private static readonly byte[] Real = ReadRealHeader();
    private static readonly ulong RealSystem = BinaryPrimitives.ReadUInt64LittleEndian(Real.AsSpan(24));

    private static byte[] ReadRealHeader()
    {
        using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "compression", "raw", Name));
        var header = new byte[40];
        file.ReadExactly(header);
        return header;
    }

    private static WalHeaderVerdict Validate(string name, byte[] header, long? size = Size, ulong? system = null, uint? segmentSize = 16777216) =>
        WalHeaderValidator.Validate(WalName.Parse(name), header, size, system ?? RealSystem, segmentSize);

    private static byte[] With(Action<byte[]> change)
    {
        var copy = (byte[])Real.Clone();
        change(copy);
        return copy;
    }

    [Fact]
    public void TryRead_spec_sample_bytes_decodes_every_field()
    {
        var bytes = Convert.FromHexString("10d10600010000000000000200000000" + "00000000000000001229e5497e33056b" + "0000000100200000");

        WalPageHeader.TryRead(bytes, out var h).Should().BeTrue();

        h.Should().Be(new WalPageHeader(0xD110, 0x0006, 1, 0x02000000, 0, 7711626554440493330, 16777216, 8192));
        WalPageHeader.MajorVersionOf(h.Magic).Should().Be(15);
    }

    [Fact]
    public void Validate_real_segment_with_its_system_is_valid()
    {
        var verdict = Validate(Name, Real);

        verdict.IsValid.Should().BeTrue(verdict.Reason);
        verdict.Header!.Value.PageAddress.Should().Be(0x04000000);
    }

    [Fact]
    public void Validate_unknown_system_is_valid_so_it_can_be_learned()
    {
        Validate(Name, Real, system: 0).IsValid.Should().BeFalse("0 is a system id no cluster has");
        WalHeaderValidator.Validate(WalName.Parse(Name), Real, Size, null, null).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_other_system_is_foreign_naming_both_ids()
    {
        var verdict = Validate(Name, Real, system: 42);

        verdict.Problem.Should().Be(WalHeaderProblem.Foreign);
        verdict.Reason.Should().Be($"it belongs to another PostgreSQL system (expected system id 42, found {RealSystem})");
    }

    [Theory]
    [InlineData("000000010000000000000005", "the header is of WAL position 0/4000000, the name says 0/5000000")]
    [InlineData("000000010000000100000004", "the header is of WAL position 0/4000000, the name says 1/4000000")]
    [InlineData("000000010000000000000100", "segment number 00000100 is impossible with segment size 16777216")]
    public void Validate_header_of_another_position_is_corrupt(string name, string reason)
    {
        var verdict = Validate(name, Real);

        verdict.Problem.Should().Be(WalHeaderProblem.Corrupt);
        verdict.Reason.Should().Be(reason);
    }

    [Fact]
    public void Validate_header_timeline_above_the_name_is_corrupt_below_is_valid()
    {
        var three = With(b => b[4] = 3);

        Validate(Name, three).Reason.Should().Be("the header is of timeline 3, the name says 1");
        Validate("000000030000000000000004", Real).IsValid.Should().BeTrue("a new timeline's first segment may carry its parent's");
        Validate(Name, With(b => b[4] = 0)).Problem.Should().Be(WalHeaderProblem.Corrupt);
    }

    public static TheoryData<string, byte[], long?, string> CorruptCases => new()
    {
        { "empty file", [], 0L, "the file is empty" },
        { "short file", Real[..20], 20L, "the file is 20 bytes, shorter than a WAL page header" },
        { "truncated", Real, 1 << 20, "the file is 1048576 bytes, the segment size is 16777216 (truncated or padded)" },
        { "padded", Real, Size + 1, "the file is 16777217 bytes, the segment size is 16777216 (truncated or padded)" },
        { "zeros", new byte[40], Size, "the first page is all zeros (never written)" },
        { "bad magic", With(b => b[0] = 0x00), Size, "not a WAL segment of PostgreSQL 12 or later (page magic 0xD100)" },
        { "text", "this is not a WAL file at all, no no no"u8.ToArray().Concat(new byte[8]).ToArray(), Size, "not a WAL segment of PostgreSQL 12 or later (page magic 0x6874)" },
        { "short header", With(b => b[2] = 0x05), Size, "the first page has no valid long header (xlp_info 0x0005)" },
        { "unknown info bit", With(b => b[2] = 0x17), Size, "the first page has no valid long header (xlp_info 0x0017)" },
        { "segment size", With(b => b[34] = 0x03), Size, "invalid WAL segment size 16973824 in the header" },
        { "block size", With(b => b[37] = 0x21), Size, "invalid WAL block size 8448 in the header" },
    };

    [Theory]
    [MemberData(nameof(CorruptCases))]
    public void Validate_broken_header_is_corrupt(string label, byte[] header, long? size, string reason)
    {
        var verdict = Validate(Name, header, size);

        verdict.Problem.Should().Be(WalHeaderProblem.Corrupt, label);
        verdict.Reason.Should().Be(reason);
    }

    [Fact]
    public void Validate_other_segment_size_than_the_server_is_corrupt()
    {
        Validate(Name, Real, segmentSize: 64 << 20).Reason.Should().Be("the header says segment size 16777216, the server's is 67108864");
    }

    [Fact]
    public void Validate_compressed_source_of_unknown_size_checks_the_header_only()
    {
        Validate(Name, Real, size: null).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    public void Validate_partial_empty_or_all_zero_is_valid(int length)
    {
        Validate(Name + ".partial", new byte[length], length).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_partial_is_checked_without_its_size()
    {
        Validate(Name + ".partial", Real, 8192).IsValid.Should().BeTrue();
        Validate(Name + ".partial", Real, system: 7).Problem.Should().Be(WalHeaderProblem.Foreign);
        Validate("000000010000000000000009.partial", Real).Problem.Should().Be(WalHeaderProblem.Corrupt);
    }

    [Theory]
    [InlineData("00000002.history")]
    [InlineData("000000010000000000000007.00000028.backup")]
    public void Validate_text_files_have_no_header_and_pass(string name)
    {
        Validate(name, [], 0).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(0xD101, true)]
    [InlineData(0xD106, true)]
    [InlineData(0xD10D, true)]
    [InlineData(0xD110, true)]
    [InlineData(0xD113, true)]
    [InlineData(0xD116, true)]
    [InlineData(0xD118, true)]
    [InlineData(0xD120, true)]
    [InlineData(0xD07E, false)]
    [InlineData(0xD100, false)]
    [InlineData(0x0000, false)]
    public void IsSupportedMagic_accepts_pg12_to_18_and_later(int magic, bool supported)
    {
        WalPageHeader.IsSupportedMagic((ushort)magic).Should().Be(supported);
    }
}

using Barman.Wal.Catalog;

namespace Barman.Wal.Tests.Catalog;

public sealed class XlogDbLineTests
{
    [Theory]
    [InlineData(1795488859.3288012, "1795488859.3288012")]
    [InlineData(1795488860.036801, "1795488860.036801")]
    [InlineData(1795490001.0, "1795490001.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(1e16, "1e+16")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(123456789012345.6, "123456789012345.6")]
    public void PythonFloat_formats_like_python_repr(double value, string expected)
    {
        PythonFloat.Format(value).Should().Be(expected);
    }

    [Fact]
    public void PythonFloat_uses_sec_plus_nsec_times_1e9_not_total_ns()
    {
        // Python's st_mtime = sec + nsec * 1e-9 (double arithmetic), which differs in the last bit
        // from total_ns / 1e9 for some values.
        const long sec = 1795488859;
        const uint nsec = 328801200;
        var expected = sec + (nsec * 1e-9);
        var status = new Barman.Wal.Platform.FileStatus(0, sec, nsec, 0, 0, 0, true, false, false);
        status.PythonModifyTime.Should().Be(expected);
        PythonFloat.Format(status.PythonModifyTime).Should().Be("1795488859.3288012");
    }

    [Fact]
    public void Format_five_columns_with_none_literals()
    {
        var wal = new WalFileInfo { Name = "000000010000000000000001", Size = 16777216, Time = 1795488859.3288012 };
        XlogDbLine.Format(wal).Should().Be("000000010000000000000001\t16777216\t1795488859.3288012\tNone\tNone\n");
        XlogDbLine.Format(wal, columns: 4).Should().Be("000000010000000000000001\t16777216\t1795488859.3288012\tNone\n");
    }

    [Fact]
    public void Format_writes_compression_and_encryption()
    {
        var wal = new WalFileInfo { Name = "000000010000000000000003", Size = 4013104, Time = 1795488860.036801, Compression = "gzip", Encryption = "gpg" };
        XlogDbLine.Format(wal).Should().Be("000000010000000000000003\t4013104\t1795488860.036801\tgzip\tgpg\n");
    }

    [Theory]
    [InlineData("000000010000000000000001\t16777216\t1795488859.3288012\n", null, null)]
    [InlineData("000000010000000000000001\t16777216\t1795488859.3288012\tNone\n", null, null)]
    [InlineData("000000010000000000000001\t16777216\t1795488859.3288012\tgzip\n", "gzip", null)]
    [InlineData("000000010000000000000001\t16777216\t1795488859.3288012\tgzip\tgpg\n", "gzip", "gpg")]
    [InlineData("  000000010000000000000001   16777216 1795488859.3288012  None   None  \n", null, null)]
    public void Parse_accepts_three_to_five_whitespace_separated_parts(string line, string? compression, string? encryption)
    {
        var wal = XlogDbLine.Parse(line);
        wal.Name.Should().Be("000000010000000000000001");
        wal.Size.Should().Be(16777216);
        wal.Time.Should().Be(1795488859.3288012);
        wal.Compression.Should().Be(compression);
        wal.Encryption.Should().Be(encryption);
    }

    [Theory]
    [InlineData("abc\n", "cannot parse line: 'abc\\n'")]
    [InlineData("\n", "cannot parse line: '\\n'")]
    [InlineData("a 1 2 3 4 5\n", "cannot parse line: 'a 1 2 3 4 5\\n'")]
    [InlineData("a x 1.0\n", "cannot parse line: 'a x 1.0\\n'")]
    [InlineData("a 1 y\n", "cannot parse line: 'a 1 y\\n'")]
    public void Parse_rejects_bad_lines_with_barman_message(string line, string message)
    {
        var parse = () => XlogDbLine.Parse(line);
        parse.Should().Throw<FormatException>().WithMessage(message);
    }
}

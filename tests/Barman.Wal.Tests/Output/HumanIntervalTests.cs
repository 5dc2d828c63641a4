using Barman.Wal.Output;

namespace Barman.Wal.Tests.Output;

/// <summary>Barman's human-readable intervals (spec: status §7).</summary>
public sealed class HumanIntervalTests
{
    [Theory]
    [InlineData(0, 0, 0, 6, "6 seconds")]
    [InlineData(0, 1, 0, 0, "1 hour")]
    [InlineData(2, 0, 0, 0, "2 days")]
    [InlineData(0, 0, 16, 26, "16 minutes, 26 seconds")]
    [InlineData(2, 1, 51, 57, "2 days, 1 hour, 51 minutes, 57 seconds")]
    [InlineData(1, 0, 1, 1, "1 day, 1 minute, 1 second")]
    [InlineData(31, 0, 0, 0, "31 days")]
    [InlineData(0, 0, 0, 0, "less than one second")]
    public void Formats_like_Barman(int days, int hours, int minutes, int seconds, string expected)
    {
        HumanInterval.Format(new TimeSpan(days, hours, minutes, seconds)).Should().Be(expected);
    }

    [Fact]
    public void Drops_fractions_of_a_second()
    {
        HumanInterval.Format(TimeSpan.FromMilliseconds(999)).Should().Be("less than one second");
        HumanInterval.Format(TimeSpan.FromMilliseconds(6999)).Should().Be("6 seconds");
    }
}

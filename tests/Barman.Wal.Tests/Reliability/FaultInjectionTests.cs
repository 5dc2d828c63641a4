using Barman.Wal.Platform;

namespace Barman.Wal.Tests.Reliability;

/// <summary>The seam in the test process itself, where BARMAN_WAL_FAULT is not set.</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public void At_without_the_variable_is_disarmed_and_returns()
    {
        Environment.GetEnvironmentVariable(FaultInjection.Variable).Should().BeNull("the test process must not carry a fault");

        foreach (var step in new[] { "after-stage", "after-commit", "before-source-removal" })
            FaultInjection.At(step);

        FaultInjection.Armed.Should().BeFalse();
    }
}

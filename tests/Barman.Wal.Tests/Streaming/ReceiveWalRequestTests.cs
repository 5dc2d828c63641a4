using Barman.Wal.Streaming;

namespace Barman.Wal.Tests.Streaming;

public sealed class ReceiveWalRequestTests
{
    [Theory]
    [InlineData(false, false, false, false, ReceiveWalMode.Stream)]
    [InlineData(true, false, true, true, ReceiveWalMode.Stop)]
    [InlineData(false, true, true, true, ReceiveWalMode.CreateSlot)]
    [InlineData(false, true, false, true, ReceiveWalMode.DropSlot)]
    [InlineData(false, true, false, false, ReceiveWalMode.Reset)]
    public void Mode_flag_combinations_follow_barman_precedence(bool stop, bool reset, bool create, bool drop, ReceiveWalMode expected) =>
        new ReceiveWalRequest("pg1", stop, reset, create, IfNotExists: false, drop).Mode.Should().Be(expected);
}

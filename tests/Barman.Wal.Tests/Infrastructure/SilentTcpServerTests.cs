using System.Net.Sockets;

namespace Barman.Wal.Tests.Infrastructure;

public sealed class SilentTcpServerTests
{
    [Fact]
    public async Task Connect_is_accepted_but_nothing_is_ever_sent()
    {
        await using var server = new SilentTcpServer();
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        await client.GetStream().WriteAsync("hello"u8.ToArray());

        var buffer = new byte[16];
        using var limit = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var read = async () => await client.GetStream().ReadAsync(buffer, limit.Token);

        await read.Should().ThrowAsync<OperationCanceledException>();
        server.AcceptedCount.Should().Be(1);
    }
}

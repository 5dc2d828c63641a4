using System.Net;
using System.Net.Sockets;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// A TCP server on 127.0.0.1 that accepts connections and never sends a byte: the shape of a
/// hung PostgreSQL or S3 endpoint, for timeout tests.
/// </summary>
public sealed class SilentTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public SilentTcpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>How many connections it accepted so far.</summary>
    public int AcceptedCount
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.Count;
            }
        }
    }

    /// <summary>A libpq conninfo pointing at this server.</summary>
    public string ConnInfo => $"host=127.0.0.1 port={Port} user=postgres dbname=postgres";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        lock (_accepted)
        {
            foreach (var s in _accepted)
            {
                s.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            lock (_accepted)
            {
                _accepted.Add(socket);
            }
        }
    }
}

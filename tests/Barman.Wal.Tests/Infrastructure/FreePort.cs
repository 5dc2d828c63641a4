using System.Net;
using System.Net.Sockets;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>Hands out free TCP ports on 127.0.0.1, never the same one twice in a test run.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();

    /// <summary>A port that was free a moment ago and was not handed out before in this process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Gate)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free TCP port found on 127.0.0.1");
    }
}

using System.Net.Sockets;
using System.Text;

namespace Replica.Tests.Support;

/// <summary>A raw RESP PING from the test, independent of Replica's own probes.</summary>
public static class RedisPing
{
    public static async Task<string> SendAsync(string host, int port, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, cts.Token);
        return Encoding.ASCII.GetString(buffer, 0, read).Trim();
    }
}

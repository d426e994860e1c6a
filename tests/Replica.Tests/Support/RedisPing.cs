using System.Net.Sockets;
using System.Text;

namespace Replica.Tests.Support;

/// <summary>A real RESP exchange with a Redis from the test, independent of Replica's own probes: PING, read the reply line.</summary>
public static class RedisPing
{
    public static Task<string> PingAsync(int port, TimeSpan timeout) => SendAsync("127.0.0.1", port, timeout);

    public static async Task<string> SendAsync(string host, int port, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token);
        return await ReadLineAsync(stream, cts.Token);
    }

    /// <summary>Retries until Redis answers: right after start the port is published before Redis listens.</summary>
    public static async Task<string> PingWhenReadyAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await PingAsync(port, TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, cancellationToken) == 1)
        {
            if (buffer[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)buffer[0]);
        }

        throw new IOException($"connection closed after '{line}'");
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Replica.Tests.Toxiproxy;

/// <summary>A real redis-server on a free loopback port with no persistence, killed on dispose.</summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private RedisServerProcess(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("replica-redis-").FullName;
        for (var attempt = 0; ; attempt++)
        {
            // redis-server cannot pick its own port (0 turns TCP off): take a free one; another process may win it, so retry.
            var port = FreePort();
            var start = new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            var redis = new RedisServerProcess(process, directory, port);
            if (await redis.WaitUntilReadyAsync())
            {
                return redis;
            }
            await redis.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException("redis-server did not start; is it installed (apt-get install redis-server)?");
            }
            directory = Directory.CreateTempSubdirectory("replica-redis-").FullName;
        }
    }

    /// <summary>Sends PING over RESP on a new connection to <paramref name="endPoint"/>; returns the reply line.</summary>
    public static async Task<string> PingAsync(IPEndPoint endPoint)
    {
        using var socket = await Sockets.ConnectAsync(endPoint);
        await socket.SendAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), SocketFlags.None);
        return Encoding.ASCII.GetString(await socket.ReadExactlyAsync(7));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<bool> WaitUntilReadyAsync()
    {
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(10) && !process.HasExited)
        {
            try
            {
                if (await PingAsync(new IPEndPoint(IPAddress.Loopback, Port)) == "+PONG\r\n")
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            await Task.Delay(20);
        }
        return false;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

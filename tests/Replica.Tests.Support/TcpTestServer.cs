using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Replica.Tests.Support;

/// <summary>
/// A real TCP server on an ephemeral loopback port standing in for Redis or PostgreSQL behind a proxy. It either
/// echoes every connection, or hands accepted sockets to the test so it can read and write the server side itself.
/// </summary>
public sealed class TcpTestServer : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly Channel<Socket> accepted = Channel.CreateUnbounded<Socket>();
    private readonly List<Socket> sockets = [];
    private readonly List<Task> echoes = [];
    private readonly bool echo;
    private readonly Task acceptLoop;

    private TcpTestServer(bool echo)
    {
        this.echo = echo;
        listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndPoint!;

    /// <summary>"127.0.0.1:port", the form a proxy's upstream takes.</summary>
    public string Address => $"127.0.0.1:{EndPoint.Port}";

    public static TcpTestServer StartEcho() => new(echo: true);

    public static TcpTestServer StartManual() => new(echo: false);

    /// <summary>The next accepted connection (manual mode).</summary>
    public async Task<Socket> AcceptAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await accepted.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Whether a connection arrives within <paramref name="wait"/> (manual mode).</summary>
    public async Task<bool> HasConnectionWithinAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await accepted.Reader.WaitToReadAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await acceptLoop;
        lock (sockets)
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
        await Task.WhenAll(echoes);
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                accepted.Writer.TryComplete();
                return;
            }
            socket.NoDelay = true;
            lock (sockets)
            {
                sockets.Add(socket);
                if (echo)
                {
                    echoes.Add(EchoAsync(socket));
                }
            }
            if (!echo)
            {
                accepted.Writer.TryWrite(socket);
            }
        }
    }

    private static async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer went away; nothing to echo.
        }
    }
}

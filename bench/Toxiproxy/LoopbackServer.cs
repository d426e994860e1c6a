using System.Net;
using System.Net.Sockets;

namespace Replica.Bench.Toxiproxy;

/// <summary>A loopback TCP server for benchmarks: echoes, or reads and discards (counting bytes). Closes everything on dispose.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> connections = [];
    private readonly List<Task> handlers = [];
    private readonly bool echo;
    private readonly Task acceptLoop;
    private readonly List<(long Total, TaskCompletionSource Done)> receiveWaiters = [];
    private long received;

    private LoopbackServer(bool echo)
    {
        this.echo = echo;
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndPoint!;

    public string Address => $"127.0.0.1:{EndPoint.Port}";

    public long Received => Interlocked.Read(ref received);

    /// <summary>
    /// Completes once a sink has received <paramref name="total"/> bytes in all (compare with <see cref="Received"/>);
    /// a <see cref="TimeoutException"/> naming how far it got after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilReceivedAsync(long total, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (receiveWaiters)
        {
            receiveWaiters.Add((total, done));
        }
        ReleaseWaiters();
        try
        {
            await done.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the sink received {Received} of {total} bytes in {timeout.TotalSeconds:0} s");
        }
        finally
        {
            lock (receiveWaiters)
            {
                receiveWaiters.Remove((total, done));
            }
        }
    }

    public static LoopbackServer Echo() => new(echo: true);

    public static LoopbackServer Sink() => new(echo: false);

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await acceptLoop;
        lock (connections)
        {
            connections.ForEach(c => c.Dispose());
        }
        await Task.WhenAll(handlers);
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
                return;
            }
            socket.NoDelay = true;
            lock (connections)
            {
                connections.Add(socket);
                handlers.Add(HandleAsync(socket));
            }
        }
    }

    private void ReleaseWaiters()
    {
        lock (receiveWaiters)
        {
            var now = Received;
            foreach (var (total, done) in receiveWaiters)
            {
                if (now >= total)
                {
                    done.TrySetResult();
                }
            }
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None)) > 0)
            {
                if (echo)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                }
                else
                {
                    Interlocked.Add(ref received, read);
                    ReleaseWaiters();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Connection closed by the benchmark.
        }
    }
}

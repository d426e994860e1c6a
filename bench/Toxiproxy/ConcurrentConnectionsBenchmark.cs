using System.Diagnostics;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Bench.Toxiproxy;

/// <summary>Many connections open at once through one proxy, each echoing; every failure or wrong byte counts as an error.</summary>
public sealed class ConcurrentConnectionsBenchmark : IBenchmark
{
    public string Name => "toxiproxy-connections";

    public string Description => "N connections open at once through one proxy, R echoes each; errors must be 0 (args: [connections, default 1000] [round trips, default 20])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var count = BenchArguments.Int(args, 0, "connections", 1000);
        var roundTrips = BenchArguments.Int(args, 1, "round trips", 20);
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken);
        await using var echo = LoopbackServer.Echo();
        var proxy = server.Proxies.Create(new ProxyDefinition("bench", "127.0.0.1:0", echo.Address));
        var clients = new List<Socket>();
        var errors = 0;
        var start = Stopwatch.GetTimestamp();
        try
        {
            // All connections open before any traffic, so they are concurrent for certain.
            var connects = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(proxy.ListenEndPoint!, cancellationToken);
                    return socket;
                }
                catch (SocketException)
                {
                    socket.Dispose();
                    Interlocked.Increment(ref errors);
                    return null;
                }
            }));
            clients.AddRange(connects.OfType<Socket>());
            var connected = Stopwatch.GetElapsedTime(start);
            var traffic = Stopwatch.GetTimestamp();
            await Task.WhenAll(clients.Select(async (client, index) =>
            {
                try
                {
                    var message = BitConverter.GetBytes(index);
                    var reply = new byte[message.Length];
                    for (var i = 0; i < roundTrips; i++)
                    {
                        await client.SendAsync(message, SocketFlags.None, cancellationToken);
                        var read = 0;
                        while (read < reply.Length)
                        {
                            var n = await client.ReceiveAsync(reply.AsMemory(read), SocketFlags.None, cancellationToken);
                            if (n == 0)
                            {
                                throw new SocketException((int)SocketError.ConnectionReset);
                            }
                            read += n;
                        }
                        if (!reply.AsSpan().SequenceEqual(message))
                        {
                            throw new InvalidDataException("echo mismatch");
                        }
                    }
                }
                catch (Exception e) when (e is SocketException or InvalidDataException)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
            var trafficTime = Stopwatch.GetElapsedTime(traffic);
            using var process = Process.GetCurrentProcess();
            output.WriteLine($"{clients.Count}/{count} connections open at once in {connected.TotalMilliseconds:F0} ms; {clients.Count * roundTrips} echoes in {trafficTime.TotalMilliseconds:F0} ms ({clients.Count * roundTrips / trafficTime.TotalSeconds:F0}/s); errors {errors}; working set {process.WorkingSet64 / 1e6:F0} MB");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
        return errors == 0 ? 0 : 1;
    }
}

using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Replica.Bench.EdgeProxy;

/// <summary>Opens N idle WebSockets through `replica proxy` (20 idle rules) and records the proxy's resident memory per connection.</summary>
public sealed class EdgeProxyWebSocketMemoryBenchmark : IBenchmark
{
    public string Name => "edge-proxy-websockets";

    public string Description => "memory per idle WebSocket through replica proxy [--count N] (default 1000)";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var count = BenchArguments.Option(args, "--count", 1000);

        await using var upstream = await BenchUpstream.StartAsync();
        await using var replica = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken);
        await IdleRules.InstallAsync(replica.AdminUrl, 20, cancellationToken);
        var wsUrl = new UriBuilder(replica.Url) { Scheme = "ws", Path = "/ws" }.Uri;

        // Warm up (JIT, pools, first connections), then let the proxy settle before the baseline.
        var warm = await OpenAsync(wsUrl, 50, cancellationToken);
        await CloseAsync(warm);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var before = replica.ResidentBytes();

        var sockets = await OpenAsync(wsUrl, count, cancellationToken);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var after = replica.ResidentBytes();
            var open = sockets.Count(s => s.State == WebSocketState.Open);
            output.WriteLine($"edge-proxy-websockets: {Environment.ProcessorCount} cores, {count} WebSockets opened through replica proxy (20 idle rules), each echoed one message, then idle 3 s");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"proxy RSS before {before / 1048576.0:0.0} MiB, with {open} open {after / 1048576.0:0.0} MiB: {(after - before) / 1024.0 / count:0.0} KiB per connection"));
        }
        finally
        {
            await CloseAsync(sockets);
        }
        return 0;
    }

    private static async Task<List<ClientWebSocket>> OpenAsync(Uri url, int count, CancellationToken cancellationToken)
    {
        var sockets = new List<ClientWebSocket>(count);
        var buffer = new byte[64];
        for (var i = 0; i < count; i++)
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            sockets.Add(socket);
            await socket.ConnectAsync(url, cancellationToken);
            await socket.SendAsync(Encoding.UTF8.GetBytes("hi"), WebSocketMessageType.Text, true, cancellationToken);
            await socket.ReceiveAsync(buffer, cancellationToken);
        }
        return sockets;
    }

    private static async Task CloseAsync(List<ClientWebSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
            socket.Dispose();
        }
    }
}

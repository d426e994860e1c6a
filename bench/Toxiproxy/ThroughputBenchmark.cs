using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Bench.Toxiproxy;

/// <summary>One connection streaming client → server, direct and through a proxy with no toxics; the ratio is the figure.</summary>
public sealed class ThroughputBenchmark : IBenchmark
{
    public string Name => "toxiproxy-throughput";

    public string Description => "MB/s over one loopback connection, direct vs through the TCP fault proxy (args: [GiB per run, default 2] [runs, default 5])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var bytes = (long)(BenchArguments.Double(args, 0, "GiB per run", 2) * 1024 * 1024 * 1024);
        var runs = BenchArguments.Int(args, 1, "runs", 5);
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken);
        await using var sink = LoopbackServer.Sink();
        var proxy = server.Proxies.Create(new ProxyDefinition("bench", "127.0.0.1:0", sink.Address));
        var direct = new List<double>();
        var proxied = new List<double>();
        await MeasureAsync(sink, sink.EndPoint, 256L * 1024 * 1024, cancellationToken);
        await MeasureAsync(sink, proxy.ListenEndPoint!, 256L * 1024 * 1024, cancellationToken);
        for (var run = 0; run < runs; run++)
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            direct.Add(await MeasureAsync(sink, sink.EndPoint, bytes, cancellationToken));
            var allocatedDirect = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            proxied.Add(await MeasureAsync(sink, proxy.ListenEndPoint!, bytes, cancellationToken));
            var allocatedProxied = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            output.WriteLine($"run {run + 1}: direct {direct[^1]:F0} MB/s, proxied {proxied[^1]:F0} MB/s, ratio {proxied[^1] / direct[^1]:F2}; " +
                $"allocated {allocatedDirect / 1024.0:F0} KiB direct, {allocatedProxied / 1024.0:F0} KiB proxied for {bytes / 1e6:F0} MB");
        }
        var ratios = direct.Zip(proxied, (d, p) => p / d).ToList();
        output.WriteLine($"median of {runs}: direct {Percentiles.Median(direct):F0} MB/s, proxied {Percentiles.Median(proxied):F0} MB/s, ratio {Percentiles.Median(ratios):F2} (min {ratios.Min():F2}, max {ratios.Max():F2}); goal ≥ 0.35");
        return 0;
    }

    /// <summary>MB/s (10^6 bytes) from the first send until the sink has read every byte.</summary>
    private static async Task<double> MeasureAsync(LoopbackServer sink, IPEndPoint target, long bytes, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(target, cancellationToken);
        var buffer = new byte[256 * 1024];
        var expected = sink.Received + bytes;
        var start = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < bytes; sent += buffer.Length)
        {
            await client.SendAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken);
        }
        // What is still in flight once the last send returns is a few socket buffers: seconds at most.
        await sink.WaitUntilReceivedAsync(expected, TimeSpan.FromSeconds(30), cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return bytes / seconds / 1e6;
    }
}

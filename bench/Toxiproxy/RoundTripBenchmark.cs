using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replica.Chaos.Toxiproxy;
using Replica.Chaos.Toxiproxy.Proxies;

namespace Replica.Bench.Toxiproxy;

/// <summary>Small request/response round trips on one connection, direct and through a proxy: the latency the proxy adds.</summary>
public sealed class RoundTripBenchmark : IBenchmark
{
    public string Name => "toxiproxy-roundtrip";

    public string Description => "round-trip p50/p99 of 64-byte echoes, direct vs proxied, and what the proxy adds (args: [round trips, default 20000])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken);
        await using var echo = LoopbackServer.Echo();
        var proxy = server.Proxies.Create(new ProxyDefinition("bench", "127.0.0.1:0", echo.Address));
        await MeasureAsync(echo.EndPoint, 2000, cancellationToken);
        await MeasureAsync(proxy.ListenEndPoint!, 2000, cancellationToken);
        // Interleaved halves, so a burst of load from elsewhere on the machine hits both sides alike.
        var direct = new List<double>();
        var proxied = new List<double>();
        for (var half = 0; half < 2; half++)
        {
            direct.AddRange(await MeasureAsync(echo.EndPoint, count / 2, cancellationToken));
            proxied.AddRange(await MeasureAsync(proxy.ListenEndPoint!, count / 2, cancellationToken));
        }
        direct.Sort();
        proxied.Sort();
        foreach (var (label, sample) in new[] { ("direct", direct), ("proxied", proxied) })
        {
            output.WriteLine($"{label,-8} p50 {Percentiles.Of(sample, 50):F1} µs  p90 {Percentiles.Of(sample, 90):F1} µs  p99 {Percentiles.Of(sample, 99):F1} µs  ({sample.Count} round trips)");
        }
        output.WriteLine($"added    p50 +{Percentiles.Of(proxied, 50) - Percentiles.Of(direct, 50):F1} µs  p99 +{Percentiles.Of(proxied, 99) - Percentiles.Of(direct, 99):F1} µs; goal p50 ≤ 60 µs");
        return 0;
    }

    private static async Task<List<double>> MeasureAsync(IPEndPoint target, int count, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(target, cancellationToken);
        var request = new byte[64];
        var response = new byte[64];
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.SendAsync(request, SocketFlags.None, cancellationToken);
            var read = 0;
            while (read < response.Length)
            {
                read += await client.ReceiveAsync(response.AsMemory(read), SocketFlags.None, cancellationToken);
            }
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        return samples;
    }
}

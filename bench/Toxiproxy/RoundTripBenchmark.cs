using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Bench.Toxiproxy;

/// <summary>Small request/response round trips on one connection, direct and through a proxy: the latency the proxy adds.</summary>
public sealed class RoundTripBenchmark : IBenchmark
{
    public string Name => "toxiproxy-roundtrip";

    public string Description => "round-trip p50/p99 of 64-byte echoes, direct vs proxied, and what the proxy adds (args: [round trips, default 20000])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var count = BenchArguments.Int(args, 0, "round trips", 20_000, min: 2);
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken);
        await using var echo = LoopbackServer.Echo();
        var proxy = server.Proxies.Create(new ProxyDefinition("bench", "127.0.0.1:0", echo.Address));
        await EchoRoundTrips.MeasureAsync(echo.EndPoint, 2000, cancellationToken);
        await EchoRoundTrips.MeasureAsync(proxy.ListenEndPoint!, 2000, cancellationToken);
        // Interleaved halves, so a burst of load from elsewhere on the machine hits both sides alike.
        var direct = new List<double>();
        var proxied = new List<double>();
        for (var half = 0; half < 2; half++)
        {
            direct.AddRange((await EchoRoundTrips.MeasureAsync(echo.EndPoint, count / 2, cancellationToken)).Select(t => t.TotalMicroseconds));
            proxied.AddRange((await EchoRoundTrips.MeasureAsync(proxy.ListenEndPoint!, count / 2, cancellationToken)).Select(t => t.TotalMicroseconds));
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
}

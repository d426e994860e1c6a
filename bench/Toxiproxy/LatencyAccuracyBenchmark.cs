using System.Diagnostics;
using Replica.Chaos.Toxiproxy;
using Replica.Chaos.Toxiproxy.Proxies;
using Replica.Proxy.Network.Timing;
using Replica.Chaos.Toxiproxy.Toxics;

namespace Replica.Bench.Toxiproxy;

/// <summary>How late a 100 ms latency toxic delivers: echo round trips through an upstream latency toxic, minus 100 ms.</summary>
public sealed class LatencyAccuracyBenchmark : IBenchmark
{
    public string Name => "toxiproxy-latency-accuracy";

    public string Description => "lateness of a 100 ms latency toxic, p50/p99/max (args: [connections, default 1] [samples each, default 200])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var connections = BenchArguments.Int(args, 0, "connections", 1);
        var samplesEach = BenchArguments.Int(args, 1, "samples each", 200);
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken);
        await using var echo = LoopbackServer.Echo();
        var proxy = server.Proxies.Create(new ProxyDefinition("bench", "127.0.0.1:0", echo.Address)
        {
            Toxics = [new ToxicSpec("latency") { Stream = "upstream", Attributes = new Dictionary<string, object?> { ["latency"] = 100 } }],
        });
        var floor = await SchedulerFloorAsync(200);
        var baseline = (await EchoRoundTrips.MeasureAsync(echo.EndPoint, 200, cancellationToken)).Select(t => t.TotalMilliseconds).Order().ToList();
        var runs = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => EchoRoundTrips.MeasureAsync(proxy.ListenEndPoint!, samplesEach, cancellationToken)));
        var lateness = runs.SelectMany(r => r).Select(rtt => rtt.TotalMilliseconds - 100.0).Order().ToList();
        output.WriteLine($"wait scheduler alone, 10 ms waits: late by p50 {Percentiles.Of(floor, 50):F3} ms, p99 {Percentiles.Of(floor, 99):F3} ms, max {floor[^1]:F3} ms (the floor this machine allows right now)");
        output.WriteLine($"direct round trip p50 {Percentiles.Of(baseline, 50) * 1000:F0} µs, p99 {Percentiles.Of(baseline, 99) * 1000:F0} µs (the machine's own jitter; included in the lateness below)");
        output.WriteLine($"100 ms latency lands late by p50 {Percentiles.Of(lateness, 50):F3} ms, p99 {Percentiles.Of(lateness, 99):F3} ms, max {lateness[^1]:F3} ms, min {lateness[0]:F3} ms ({lateness.Count} samples on {connections} connections); goal p99 ≤ 0.5 ms");
        return 0;
    }

    /// <summary>How late the scheduler completes 10 ms waits with nothing else running: the OS wake-up floor.</summary>
    private static async Task<List<double>> SchedulerFloorAsync(int count)
    {
        var wait = new ScheduledWait();
        var lateness = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var due = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
            await wait.UntilAsync(due);
            lateness.Add((Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency);
        }
        lateness.Sort();
        return lateness;
    }
}

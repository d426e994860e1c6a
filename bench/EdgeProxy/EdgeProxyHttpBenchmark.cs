using System.Globalization;
using Replica.Proxy.Client;

namespace Replica.Bench.EdgeProxy;

/// <summary>
/// Requests/s and p50/p99 latency with wrk, same client and concurrency, in one run: straight to the upstream, through
/// `replica proxy` with 20 idle rules, and through nginx as a plain reverse proxy.
/// </summary>
public sealed class EdgeProxyHttpBenchmark : IBenchmark
{
    public string Name => "edge-proxy-http";

    public string Description => "HTTP req/s and p50/p99: direct vs replica proxy (20 idle rules) vs nginx [--seconds N] [--connections N] [--rounds N] [--rules N]";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var seconds = BenchArguments.Option(args, "--seconds", 10);
        var connections = BenchArguments.Option(args, "--connections", 50);
        var rounds = BenchArguments.Option(args, "--rounds", 2);
        var idleRules = BenchArguments.Option(args, "--rules", 20, min: 0);

        await using var upstream = await BenchUpstream.StartAsync();
        await using var replica = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken);
        await IdleRules.InstallAsync(replica.AdminUrl, idleRules, cancellationToken);
        await using var nginx = await NginxProcess.StartAsync(upstream.Url, cancellationToken);

        var targets = new (string Name, Uri Url, int? Pid)[]
        {
            ("direct", new Uri(upstream.Url, "/bench"), null),
            ($"replica ({idleRules} idle rules)", new Uri(replica.Url, "/bench"), replica.Pid),
            ("nginx", new Uri(nginx.Url, "/bench"), nginx.Pid),
        };
        output.WriteLine($"edge-proxy-http: {Environment.ProcessorCount} cores, wrk -t2 -c{connections} -d{seconds}s (throughput) and wrk -t1 -c1 -d{seconds}s (latency), {rounds} rounds, 3 s warm-up each");
        foreach (var (_, url, _) in targets)
        {
            await Wrk.RunAsync(url, connections, 2, TimeSpan.FromSeconds(3), cancellationToken);
        }

        var loaded = targets.ToDictionary(t => t.Name, _ => new List<WrkResult>());
        var single = targets.ToDictionary(t => t.Name, _ => new List<WrkResult>());
        // CPU per request of the proxy process(es): unlike req/s, other load on the machine does not skew it much.
        var cpuMicros = targets.ToDictionary(t => t.Name, _ => new List<double>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, url, pid) in targets)
            {
                var cpuBefore = pid is { } p ? ProcessCpu.OfTree(p) : TimeSpan.Zero;
                var r = await Wrk.RunAsync(url, connections, 2, TimeSpan.FromSeconds(seconds), cancellationToken);
                var cpu = pid is { } q ? (ProcessCpu.OfTree(q) - cpuBefore).TotalMicroseconds / (r.RequestsPerSecond * seconds) : 0;
                loaded[name].Add(r);
                cpuMicros[name].Add(cpu);
                output.WriteLine($"  round {round} c={connections,-3} {name,-24} {r.RequestsPerSecond,10:0} req/s  p50 {r.P50Ms,7:0.000} ms  p99 {r.P99Ms,7:0.000} ms  errors {r.Errors}  proxy CPU {cpu,5:0.0} µs/req");
            }
            foreach (var (name, url, _) in targets)
            {
                var r = await Wrk.RunAsync(url, 1, 1, TimeSpan.FromSeconds(seconds), cancellationToken);
                single[name].Add(r);
                output.WriteLine($"  round {round} c=1   {name,-24} {r.RequestsPerSecond,10:0} req/s  p50 {r.P50Ms,7:0.000} ms  p99 {r.P99Ms,7:0.000} ms  errors {r.Errors}");
            }
        }

        using var admin = new EdgeProxyAdminClient(replica.AdminUrl);
        var counters = await admin.GetCountersAsync(cancellationToken);
        output.WriteLine($"replica: {counters.Requests} requests, {counters.FaultsInjected} faults injected (the {idleRules} rules stayed idle)");
        output.WriteLine();
        output.WriteLine($"| target | c={connections} req/s | c={connections} p50 ms | c={connections} p99 ms | proxy CPU µs/req | c=1 req/s | c=1 p50 ms | c=1 p99 ms |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, _, pid) in targets)
        {
            var l = loaded[name];
            var s = single[name];
            var cpu = pid is null ? "–" : cpuMicros[name].Average().ToString("0.0", CultureInfo.InvariantCulture);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {l.Average(r => r.RequestsPerSecond):0} | {l.Average(r => r.P50Ms):0.000} | {l.Average(r => r.P99Ms):0.000} | {cpu} | {s.Average(r => r.RequestsPerSecond):0} | {s.Average(r => r.P50Ms):0.000} | {s.Average(r => r.P99Ms):0.000} |"));
        }
        var replicaRps = loaded[targets[1].Name].Average(r => r.RequestsPerSecond);
        var nginxRps = loaded["nginx"].Average(r => r.RequestsPerSecond);
        var addedP99 = single[targets[1].Name].Average(r => r.P99Ms) - single["direct"].Average(r => r.P99Ms);
        var addedP99Loaded = loaded[targets[1].Name].Average(r => r.P99Ms) - loaded["direct"].Average(r => r.P99Ms);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replica / nginx throughput: {replicaRps / nginxRps:0.00}x (goal ≥ 0.9x)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replica added p99 over direct: {addedP99:0.000} ms at c=1, {addedP99Loaded:0.000} ms at c={connections} (goal ≤ 1 ms)"));
        return 0;
    }
}

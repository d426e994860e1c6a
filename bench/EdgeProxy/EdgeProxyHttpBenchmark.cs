using System.Globalization;
using Replica.Proxy.Edge.Client;

namespace Replica.Bench.EdgeProxy;

/// <summary>
/// HTTP through the edge proxy beside what it is measured against, in one interleaved run on one upstream (nginx
/// serving a 1.4 KB body): straight to the upstream, nginx as a reverse proxy, a bare YARP 2.3 app with YARP's default
/// configuration (server GC, as a web project has it: the goals' reference), the same app with a console app's
/// workstation GC (the reference of the runs before 2026-12-06 14:27 UTC), and `replica proxy` with 0 and 20 idle
/// rules — with YARP's default forwarding, with Replica's tuned forwarding, and tuned with --inline-io. Medians over
/// rounds; the proxy's CPU per request is read from /proc, the figure the machine's other load skews least.
/// </summary>
public sealed class EdgeProxyHttpBenchmark : IBenchmark
{
    public string Name => "edge-proxy-http";

    public string Description => "HTTP req/s, p50/p99, proxy CPU/request, interleaved rounds: direct, nginx, bare YARP (server GC; workstation GC), replica 0/20 rules (YARP defaults, tuned, tuned --inline-io) [--seconds 5] [--connections 32] [--rounds 5] [--rules 20] [--body 1400]";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var seconds = BenchArguments.Option(args, "--seconds", 5);
        var connections = BenchArguments.Option(args, "--connections", 32);
        var rounds = BenchArguments.Option(args, "--rounds", 5);
        var idleRules = BenchArguments.Option(args, "--rules", 20, min: 0);
        var body = BenchArguments.Option(args, "--body", 1400);

        await using var upstream = await NginxProcess.StartUpstreamAsync(body, cancellationToken);
        await using var nginx = await NginxProcess.StartProxyAsync(upstream.Url, tls: null, cancellationToken);
        await using var bare = await BareYarpApp.StartAsync(upstream.Url, serverGc: true, cancellationToken);
        await using var bareWorkstationGc = await BareYarpApp.StartAsync(upstream.Url, serverGc: false, cancellationToken);
        await using var defaults0 = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken, "--forwarding", "yarp-defaults");
        await using var defaults20 = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken, "--forwarding", "yarp-defaults");
        await using var tuned0 = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken);
        await using var tuned20 = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken);
        await using var inline0 = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken, "--inline-io");
        await using var inline20 = await ReplicaProxyProcess.StartAsync(upstream.Url, cancellationToken, "--inline-io");
        await IdleRules.InstallAsync(inline20.AdminUrl, idleRules, cancellationToken);
        await IdleRules.InstallAsync(defaults20.AdminUrl, idleRules, cancellationToken);
        await IdleRules.InstallAsync(tuned20.AdminUrl, idleRules, cancellationToken);

        var path = "/bench";
        BenchTarget[] targets =
        [
            new("direct", new Uri(upstream.Url, path), null),
            new("nginx", new Uri(nginx.Url, path), nginx.Pid),
            new("bare YARP 2.3", new Uri(bare.Url, path), bare.Pid),
            new("bare YARP 2.3, workstation GC", new Uri(bareWorkstationGc.Url, path), bareWorkstationGc.Pid),
            new("replica, YARP defaults, 0 rules", new Uri(defaults0.Url, path), defaults0.Pid),
            new($"replica, YARP defaults, {idleRules} rules", new Uri(defaults20.Url, path), defaults20.Pid),
            new("replica, tuned, 0 rules", new Uri(tuned0.Url, path), tuned0.Pid),
            new($"replica, tuned, {idleRules} rules", new Uri(tuned20.Url, path), tuned20.Pid),
            new("replica, tuned --inline-io, 0 rules", new Uri(inline0.Url, path), inline0.Pid),
            new($"replica, tuned --inline-io, {idleRules} rules", new Uri(inline20.Url, path), inline20.Pid),
        ];
        output.WriteLine($"edge-proxy-http: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, wrk -t2 -c{connections} -d{seconds}s, {body}-byte body from nginx, {rounds} interleaved rounds, 3 s warm-up each");
        var samples = await InterleavedRounds.RunAsync(targets, rounds, connections, TimeSpan.FromSeconds(seconds), output, cancellationToken);

        var bareSamples = samples[targets[2].Name];
        var bareCpu = bareSamples.Median(s => s.CpuMicrosPerRequest);
        var bareRps = bareSamples.Median(s => s.RequestsPerSecond);
        var directP99 = samples["direct"].Median(s => s.P99Ms);
        output.WriteLine();
        output.WriteLine($"| target (medians of {rounds} rounds) | req/s | range | p50 ms | p99 ms | added p99 ms | proxy CPU µs/req | range | CPU ÷ bare YARP | per round | req/s ÷ bare YARP |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var target in targets)
        {
            var s = samples[target.Name];
            var cpu = s.Median(x => x.CpuMicrosPerRequest);
            var rps = s.Median(x => x.RequestsPerSecond);
            var p99 = s.Median(x => x.P99Ms);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {target.Name} | {rps:0} | {s.Range(x => x.RequestsPerSecond, "0")} | {s.Median(x => x.P50Ms):0.000} | {p99:0.000} | {(target.Pid is null ? "–" : (p99 - directP99).ToString("+0.000;-0.000", CultureInfo.InvariantCulture))} | {(double.IsNaN(cpu) ? "–" : cpu.ToString("0.0", CultureInfo.InvariantCulture))} | {s.Range(x => x.CpuMicrosPerRequest, "0.0")} | {(double.IsNaN(cpu) ? "–" : (cpu / bareCpu).ToString("0.00", CultureInfo.InvariantCulture))} | {PairedRatio(s, bareSamples, x => x.CpuMicrosPerRequest)} | {rps / bareRps:0.00} |"));
        }
        output.WriteLine();
        foreach (var target in targets.Where(t => t.Name.StartsWith("replica", StringComparison.Ordinal)))
        {
            var s = samples[target.Name];
            var goal = target.Name.Contains("tuned", StringComparison.Ordinal) ? 0.85 : 1.05;
            var cpuRatio = s.Median(x => x.CpuMicrosPerRequest) / bareCpu;
            var pairedRatio = InterleavedRounds.PairedMedian(s, bareSamples, x => x.CpuMicrosPerRequest);
            var rpsRatio = s.Median(x => x.RequestsPerSecond) / bareRps;
            var addedP99 = s.Median(x => x.P99Ms) - directP99;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target.Name}: CPU/request (goal ≤ {goal:0.00}× bare YARP) {cpuRatio:0.00}× by medians {(cpuRatio <= goal ? "✔" : "✘")}, {pairedRatio:0.00}× round by round {(pairedRatio <= goal ? "✔" : "✘")}; req/s {rpsRatio:0.00}× (goal ≥ 0.95) {(rpsRatio >= 0.95 ? "✔" : "✘")}; added p99 {addedP99:0.000} ms at c={connections} (goal ≤ 1) {(addedP99 <= 1 ? "✔" : "✘")}"));
        }
        using var admin = new EdgeProxyAdminClient(tuned20.AdminUrl);
        var counters = await admin.GetCountersAsync(cancellationToken);
        output.WriteLine($"replica (tuned, {idleRules} rules): {counters.Requests} requests, {counters.FaultsInjected} faults injected (the rules stayed idle)");
        return 0;
    }

    /// <summary>The median of this target's figure over the bare app's in the same round, and its range.</summary>
    private static string PairedRatio(List<RoundSample> target, List<RoundSample> bare, Func<RoundSample, double?> value)
    {
        var ratios = InterleavedRounds.PairedRatios(target, bare, value);
        return ratios.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Percentiles.Median(ratios):0.00} ({ratios.Min():0.00}–{ratios.Max():0.00})");
    }
}

using System.Diagnostics;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Environments.Hosting;
using Replica.Environments.Proxied;
using Replica.Environments.State;

namespace Replica.Bench.Scenarios;

/// <summary>
/// `replica verify` end to end, environment start included, as the issue measures it (R2: 20 runs × baseline and
/// fixed), with where each run's time goes: restoring and restarting the backend, waiting for the fault to be
/// removed, the probe itself. With a fourth argument K the runs are spread over K copies of the environment (started
/// at once), as `verify --parallel K` does; the load average is printed with the figures (the machine is shared).
/// </summary>
public sealed class VerifyBenchmark : IBenchmark
{
    public string Name => "verify";

    public string Description => "verify end to end (args: [scenario file=chaos/scenarios/r2-websocket-1011-redis-late.yaml] [runs=20] [variants=baseline,fixed] [copies=1])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var file = BenchArguments.Text(args, 0, "chaos/scenarios/r2-websocket-1011-redis-late.yaml");
        var runs = BenchArguments.Int(args, 1, "runs", 20);
        var (scenario, topology) = ScenarioLoader.Load(file);
        var variants = BenchArguments.Text(args, 2, "baseline,fixed").Split(',').Select(scenario.Variant).ToList();
        var copies = BenchArguments.Int(args, 3, "copies", 1);
        var state = Directory.CreateTempSubdirectory("replica-bench-verify-").FullName;
        var loadBefore = LoadAverage();
        var total = Stopwatch.StartNew();
        try
        {
            Task<ReplicaEnvironment> StartCopy(int copy, CancellationToken token) => ReplicaEnvironment.StartAsync(
                ScenarioRunner.WithVariant(new EnvironmentBuilder().WithTopology(topology).WithName($"bench-verify-{copy}").WithStateDirectory(state), scenario, variants[0]),
                new ReplicaEnvironmentOptions { Seed = RunSeeds.ForCopy(1, copy) }, token);
            await using var pool = await EnvironmentPool.StartAsync(scenario, 1, copies, StartCopy, cancellationToken);
            var start = total.Elapsed;
            var report = await ScenarioVerifier.VerifyAsync(pool, scenario, variants, runs, Shard.All, start, "process", null, cancellationToken);
            var elapsed = total.Elapsed;

            output.WriteLine($"{scenario.Name}: {runs} runs × {string.Join(", ", variants.Select(v => v.Name))} on {copies} cop{(copies == 1 ? "y" : "ies")}; load average before {loadBefore}, after {LoadAverage()}");
            output.WriteLine($"  environment start: {start.TotalSeconds:0.00} s");
            foreach (var v in report.Variants)
            {
                var mine = report.Runs.Where(r => r.Variant == v.Variant).ToList();
                var durations = mine.Select(r => r.Duration.TotalSeconds).Order().ToList();
                var restart = mine.Select(RestartToHealthy).Where(t => t is not null).Select(t => t!.Value.TotalSeconds).Order().ToList();
                var probe = mine.SelectMany(r => r.Probes).Select(p => (p.EndedAt - p.StartedAt).TotalSeconds).Order().ToList();
                output.WriteLine($"  {v.Variant,-9} {v.Describe()}");
                output.WriteLine($"            run (timeline + probes) median {Percentiles.Median(durations):0.000} s, min {durations[0]:0.000}, max {durations[^1]:0.000}");
                if (restart.Count > 0)
                {
                    output.WriteLine($"            backend restart → healthy median {Percentiles.Median(restart):0.000} s");
                }
                output.WriteLine($"            probe median {Percentiles.Median(probe):0.000} s");
            }
            var runTime = report.Runs.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration);
            var restore = elapsed - start - runTime / copies;
            output.WriteLine($"  between runs (restore: faults cleared, settings applied; token fetched once), per copy: {restore.TotalSeconds:0.00} s in all");
            output.WriteLine($"  total, environment start included: {elapsed.TotalSeconds:0.0} s for {report.Runs.Count} runs (target for R2 3 × 20: ≤ 40 s)");
            return report.ExpectationsHeld ? 0 : 1;
        }
        finally
        {
            await new OrphanReaper(new StateStore(state)).ReapAllAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static TimeSpan? RestartToHealthy(RunResult run)
    {
        var restart = run.Timeline.FirstOrDefault(e => e.Kind == "lifecycle" && e.Label.StartsWith("restart", StringComparison.Ordinal));
        var healthy = run.Timeline.FirstOrDefault(e => e.Kind == "service" && e.Label == "healthy" && restart is not null && e.At >= restart.At);
        return restart is null || healthy is null ? null : healthy.At - restart.At;
    }
}

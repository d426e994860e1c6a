using System.Diagnostics;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Chaos.Verification;
using Replica.Environments.Compose;
using Replica.Environments.Hosting;
using Replica.Environments.Proxied;
using Replica.Environments.State;

namespace Replica.Bench.Scenarios;

/// <summary>
/// `replica sweep` end to end, environment start included, as the issue measures it: the R2 lateness sweep, three
/// variants, adaptive, on one environment; with the runs spent per variant and the median run.
/// </summary>
public sealed class SweepBenchmark : IBenchmark
{
    public string Name => "sweep";

    public string Description => "sweep end to end (args: [scenario file=chaos/scenarios/r2-websocket-1011-redis-late.yaml] [sweep=redis-lateness])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var file = BenchArguments.Text(args, 0, "chaos/scenarios/r2-websocket-1011-redis-late.yaml");
        var name = BenchArguments.Text(args, 1, "redis-lateness");
        var (scenario, topology) = ScenarioLoader.Load(file);
        var yaml = YamlFile.Load(file);
        var plan = SweepPlan.Create(yaml, null, scenario, SweepFileReader.Named(yaml, name), null);
        var state = Directory.CreateTempSubdirectory("replica-bench-sweep-").FullName;
        var total = Stopwatch.StartNew();
        try
        {
            var builder = ScenarioRunner.WithVariant(
                new EnvironmentBuilder().WithTopology(topology).WithName("bench-sweep").WithStateDirectory(state), scenario, plan.Variants[0]);
            await using var environment = await ReplicaEnvironment.StartAsync(builder, new ReplicaEnvironmentOptions(), cancellationToken);
            var start = total.Elapsed;
            using var runner = new SingleEnvironmentSweepRunner(environment, scenario);
            var report = await SweepEngine.RunAsync(plan, runner, environment.Seed, "process", start, null, cancellationToken);
            var elapsed = total.Elapsed;
            output.WriteLine($"{report.Title}: {string.Join(", ", plan.Axes.Select(a => $"{a.Path.Text} over {a.Range.Text}"))}");
            output.WriteLine($"  environment start: {start.TotalSeconds:0.00} s");
            foreach (var v in report.Variants)
            {
                var runs = v.Cells.SelectMany(c => c.Runs).ToList();
                var durations = runs.Select(r => r.Duration.TotalSeconds).Order().ToList();
                output.WriteLine($"  {v.Variant,-9} {runs.Count,3} runs at {v.Cells.Count,2} values, run median {Percentiles.Median(durations):0.000} s; {v.Boundary.Description}");
            }
            output.WriteLine($"  load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            output.WriteLine($"  total, environment start included: {elapsed.TotalSeconds:0.0} s for {report.TotalRuns} runs (target ≤ 180 s with one environment)");
            return report.ExpectationsHeld ? 0 : 1;
        }
        finally
        {
            await new OrphanReaper(new StateStore(state)).ReapAllAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }
}

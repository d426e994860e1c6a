using System.Diagnostics;
using Replica.Environments.Hosting;
using Replica.Environments.State;

namespace Replica.Bench.Environments;

/// <summary>
/// Time from `up` to all four reference services healthy, and of `down`, on the process runtime with the services
/// already built and the PostgreSQL template already made (the first run makes it and is reported apart).
/// </summary>
public sealed class UpDownBenchmark : IBenchmark
{
    public string Name => "up-down";

    public string Description => "process runtime: up to four healthy services, and down (args: [runs=10] [compose.yaml])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var runs = BenchArguments.Int(args, 0, "runs", 10);
        var compose = BenchArguments.Text(args, 1, "compose.yaml");
        var state = Directory.CreateTempSubdirectory("replica-bench-state-").FullName;
        var up = new List<double>();
        var down = new List<double>();
        try
        {
            var definition = new EnvironmentBuilder().WithComposeFile(compose).WithName("bench-up-down").WithStateDirectory(state).Build();
            for (var i = 0; i <= runs; i++)
            {
                var clock = Stopwatch.StartNew();
                var environment = await definition.StartAsync(cancellationToken);
                var upSeconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                await environment.DisposeAsync();
                var downSeconds = clock.Elapsed.TotalSeconds;
                if (i == 0)
                {
                    output.WriteLine($"warm-up run: up {upSeconds:0.000} s, down {downSeconds:0.000} s (not counted)");
                    continue;
                }
                up.Add(upSeconds);
                down.Add(downSeconds);
                output.WriteLine($"run {i,2}: up {upSeconds:0.000} s, down {downSeconds:0.000} s");
            }
        }
        finally
        {
            await new OrphanReaper(new StateStore(state)).ReapAllAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
        output.WriteLine($"up   (n={up.Count}): min {up.Min():0.000} s, median {Percentiles.Median(up):0.000} s, max {up.Max():0.000} s — target ≤ 3 s");
        output.WriteLine($"down (n={down.Count}): min {down.Min():0.000} s, median {Percentiles.Median(down):0.000} s, max {down.Max():0.000} s — target ≤ 1 s");
        return 0;
    }

}

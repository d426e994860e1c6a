using System.Diagnostics;
using Replica.Environments.Docker;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes.Docker;
using Replica.Environments.State;

namespace Replica.Bench.Environments;

/// <summary>
/// `up` to all four reference services healthy, and `down`, on the docker runtime and on the process runtime in the
/// same run, interleaved (docker, process, docker, …) so both see the same machine load. Images are built (or found
/// in the cache) by a warm-up run of each runtime, reported apart; every counted docker `up` still configures
/// Testcontainers for the engine (once per process), sweeps,
/// checks every image against its content or source hash and creates the network. Prints, per runtime, when each
/// service became healthy, which says what dominates.
/// </summary>
public sealed class RuntimeComparisonBenchmark : IBenchmark
{
    public string Name => "up-down-docker";

    public string Description =>
        "docker vs process runtime, interleaved: up to four healthy services, and down (args: [runs=10] [compose.yaml] [offline|official])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var runs = BenchArguments.Int(args, 0, "runs", 10);
        var compose = BenchArguments.Text(args, 1, "compose.yaml");
        var images = new ImageSettings
        {
            Policy = BenchArguments.Choice(args, 2, "images", "offline", "official") == "official" ? ImagePolicy.Official : ImagePolicy.Offline,
            BaseImage = Environment.GetEnvironmentVariable("REPLICA_BASE_IMAGE") is { Length: > 0 } image ? image : ImageSettings.DefaultBaseImage,
        };
        var state = Directory.CreateTempSubdirectory("replica-bench-state-").FullName;
        var results = new Dictionary<string, Measurements> { ["docker"] = new(), ["process"] = new() };
        try
        {
            var definitions = new Dictionary<string, EnvironmentBuilder>
            {
                ["docker"] = new EnvironmentBuilder().WithComposeFile(compose).WithName("bench-docker").WithStateDirectory(state)
                    .WithRuntime(DockerRuntime.RuntimeName, ctx => new DockerRuntime(new DockerRuntimeOptions(ctx.EnvironmentName, images, ctx.Progress))),
                ["process"] = new EnvironmentBuilder().WithComposeFile(compose).WithName("bench-process").WithStateDirectory(state),
            };
            output.WriteLine($"docker runtime: {images.Policy.ToString().ToLowerInvariant()} images" + (images.Policy == ImagePolicy.Offline ? $" on {images.BaseImage}" : ""));
            for (var i = 0; i <= runs; i++)
            {
                foreach (var (runtime, builder) in definitions)
                {
                    var clock = Stopwatch.StartNew();
                    var healthyAt = new Dictionary<string, double>();
                    var environment = await builder
                        .WithObserver(e =>
                        {
                            if (e.Kind == EnvironmentEventKind.Healthy && e.Service is { } service)
                            {
                                lock (healthyAt) healthyAt[service] = clock.Elapsed.TotalSeconds;
                            }
                        })
                        .Build().StartAsync(cancellationToken);
                    var up = clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    await environment.DisposeAsync();
                    var down = clock.Elapsed.TotalSeconds;
                    var order = string.Join(", ", healthyAt.OrderBy(h => h.Value).Select(h => $"{h.Key} {h.Value:0.00}"));
                    if (i == 0)
                    {
                        output.WriteLine($"warm-up {runtime,-7}: up {up:0.000} s, down {down:0.000} s (not counted; builds or finds images, templates)");
                        continue;
                    }
                    results[runtime].Add(up, down, healthyAt);
                    output.WriteLine($"run {i,2} {runtime,-7}: up {up:0.000} s, down {down:0.000} s   healthy at: {order}");
                }
            }
        }
        finally
        {
            await new OrphanReaper(new StateStore(state)).ReapAllAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
        output.WriteLine();
        foreach (var (runtime, m) in results)
        {
            output.WriteLine($"{runtime,-7} up   (n={m.Up.Count}): min {m.Up.Min():0.000} s, median {Percentiles.Median(m.Up):0.000} s, max {m.Up.Max():0.000} s"
                             + (runtime == "docker" ? " — target ≤ 5 s" : " — target ≤ 3 s"));
            output.WriteLine($"{runtime,-7} down (n={m.Down.Count}): min {m.Down.Min():0.000} s, median {Percentiles.Median(m.Down):0.000} s, max {m.Down.Max():0.000} s");
            output.WriteLine($"{runtime,-7} median healthy at: "
                             + string.Join(", ", m.HealthyAt.Select(h => (h.Key, Median: Percentiles.Median(h.Value))).OrderBy(h => h.Median).Select(h => $"{h.Key} {h.Median:0.00} s")));
        }
        return 0;
    }

}

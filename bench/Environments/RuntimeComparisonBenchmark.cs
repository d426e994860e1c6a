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
/// checks every image against its content or source hash and creates the network. Prints, per runtime, when it had
/// prepared (the first service starting), when each service was started (its container or process running) and
/// when it became healthy, which says what dominates; and the load average after each run, which says how far the
/// figures can be trusted on a shared machine.
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
                    var startedAt = new Dictionary<string, double>();
                    double? prepared = null;
                    var environment = await builder
                        .WithObserver(e =>
                        {
                            lock (healthyAt)
                            {
                                var at = clock.Elapsed.TotalSeconds;
                                switch (e.Kind)
                                {
                                    case EnvironmentEventKind.Starting when e.Service is not null:
                                        prepared ??= at;
                                        break;
                                    case EnvironmentEventKind.Started when e.Service is { } started:
                                        startedAt.TryAdd(started, at);
                                        break;
                                    case EnvironmentEventKind.Healthy when e.Service is { } healthy:
                                        healthyAt[healthy] = at;
                                        break;
                                }
                            }
                        })
                        .Build().StartAsync(cancellationToken);
                    var up = clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    await environment.DisposeAsync();
                    var down = clock.Elapsed.TotalSeconds;
                    var load = LoadAverage();
                    if (i == 0)
                    {
                        output.WriteLine($"warm-up {runtime,-7}: up {up:0.000} s, down {down:0.000} s, load {load:0.0} (not counted; builds or finds images, templates)");
                        continue;
                    }
                    results[runtime].Add(up, down, prepared, startedAt, healthyAt, load);
                    output.WriteLine($"run {i,2} {runtime,-7}: up {up:0.000} s, down {down:0.000} s, load {load:0.0}   prepared {prepared:0.00}; "
                                     + $"started: {Timeline(startedAt)}; healthy: {Timeline(healthyAt)}");
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
            output.WriteLine($"{runtime,-7} median prepared at {Percentiles.Median(m.Prepared):0.00} s; started at: {Medians(m.StartedAt)}; healthy at: {Medians(m.HealthyAt)}");
        }
        var loads = results.Values.SelectMany(m => m.Load).ToList();
        output.WriteLine($"load average (1 min, after each run): min {loads.Min():0.0}, median {Percentiles.Median(loads):0.0}, max {loads.Max():0.0} on {Environment.ProcessorCount} cores");
        return 0;
    }

    /// <summary>Services in the order they reached a point, with the second each did.</summary>
    private static string Timeline(Dictionary<string, double> at) =>
        string.Join(", ", at.OrderBy(h => h.Value).Select(h => $"{h.Key} {h.Value:0.00}"));

    private static string Medians(Dictionary<string, List<double>> at) =>
        string.Join(", ", at.Select(h => (h.Key, Median: Percentiles.Median(h.Value))).OrderBy(h => h.Median).Select(h => $"{h.Key} {h.Median:0.00} s"));

    /// <summary>The 1-minute load average, or NaN where /proc/loadavg is not there.</summary>
    private static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}

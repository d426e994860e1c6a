using System.CommandLine;
using System.Diagnostics;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Cli.Control;
using Replica.Cli.Environments;
using Replica.Environments.Compose;
using Replica.Environments.Hosting;
using Replica.Environments.Proxied;
using Replica.Environments.State;

namespace Replica.Cli.Scenarios;

/// <summary>
/// What `chaos run` and `verify` share: the scenario read and checked before anything starts, then its environment
/// brought up once (named verify-SCENARIO unless --name says otherwise) with the first variant's settings.
/// </summary>
internal sealed class ScenarioSession : IAsyncDisposable
{
    private ScenarioSession(Scenario scenario, Topology topology, ReplicaEnvironment environment, TimeSpan startTime, ControlServer dashboard)
    {
        Scenario = scenario;
        Topology = topology;
        Environment = environment;
        StartTime = startTime;
        Dashboard = dashboard;
    }

    /// <summary>The environment's dashboard (loopback): its live view, and each run's timeline and the tally once a run ends.</summary>
    public ControlServer Dashboard { get; }

    /// <summary>Shows an ended run on the dashboard.</summary>
    public void Publish(RunResult run, int runsPerVariant) => Dashboard.PublishRun(Scenario.Name, run, runsPerVariant);

    public Scenario Scenario { get; }

    public Topology Topology { get; }

    public ReplicaEnvironment Environment { get; }

    public TimeSpan StartTime { get; }

    /// <summary>
    /// Reads the scenario and its compose file (<c>-f</c> when given on the command line, else the scenario's own or the
    /// nearest one); bad input fails here (exit 2) before anything is started.
    /// </summary>
    public static (Scenario Scenario, Topology Topology) Load(string scenarioArgument, ParseResult parse) =>
        ScenarioLoader.Load(ScenarioResolver.Resolve(scenarioArgument), ComposeFile(parse));

    /// <summary>Prints what the scenario still says the old way (a renamed key), once, as file:line:column: warning: ….</summary>
    public static void PrintWarnings(Scenario scenario, TextWriter output)
    {
        foreach (var warning in scenario.Warnings)
        {
            output.WriteLine($"{warning.Location}: warning: {warning.Message}");
        }
    }

    /// <summary>The <c>-f</c> value when the user gave one; null when it is only the default.</summary>
    public static string? ComposeFile(ParseResult parse) =>
        parse.GetResult(GlobalOptions.File) is { Implicit: false } given ? given.GetValueOrDefault<string>() : null;

    public static IReadOnlyList<ScenarioVariant> SelectVariants(Scenario scenario, string? variants) =>
        variants is null
            ? scenario.Variants
            : variants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(scenario.Variant).ToList();

    /// <summary>Where scenario environments are recorded (the user's state directory).</summary>
    public static StateStore Store => StateStore.Default();

    /// <summary>The environment's name: --name, else verify-SCENARIO (cut to 40 characters).</summary>
    public static string EnvironmentName(Scenario scenario, string? name) =>
        name ?? $"verify-{scenario.Name}"[..Math.Min(40, 7 + scenario.Name.Length)];

    /// <summary>Ctrl+C cancels; a second one kills the environment's services at once (they run in their own sessions).</summary>
    public static SignalScope Signals(Scenario scenario, string? name, CancellationToken outer) =>
        SignalScope.ForEnvironment(outer, Store, EnvironmentName(scenario, name));

    public static async Task<ScenarioSession> StartAsync(
        Scenario scenario, Topology topology, ScenarioVariant first, string? name, RuntimeSelection runtime, int? seed,
        Action<EnvironmentEvent> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var environment = await StartEnvironmentAsync(scenario, topology, first, EnvironmentName(scenario, name), runtime, seed, progress, cancellationToken);
        ControlServer dashboard;
        try
        {
            dashboard = await ControlServer.StartAsync(environment, ControlServer.CheckListen("127.0.0.1:0", token: null), userToken: null, cancellationToken);
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
        return new ScenarioSession(scenario, topology, environment, clock.Elapsed, dashboard);
    }

    /// <summary>The name of copy <paramref name="copy"/> of <paramref name="copies"/>: the environment's name alone for one, NAME-N for more.</summary>
    public static string CopyName(Scenario scenario, string? name, int copy, bool parallel) =>
        parallel ? $"{EnvironmentName(scenario, name)}-{copy}" : EnvironmentName(scenario, name);

    /// <summary>
    /// Brings up one environment for the scenario under <paramref name="environmentName"/> (a copy of a parallel verify
    /// has its own name, so its own state file, data directories, ports and processes or containers and network).
    /// </summary>
    public static Task<ReplicaEnvironment> StartEnvironmentAsync(
        Scenario scenario, Topology topology, ScenarioVariant first, string environmentName, RuntimeSelection runtime, int? seed,
        Action<EnvironmentEvent>? progress, CancellationToken cancellationToken)
    {
        var builder = new EnvironmentBuilder()
            .WithTopology(topology)
            .WithName(environmentName)
            .WithStateDirectory(Store.Root);
        if (progress is not null)
        {
            builder = builder.WithObserver(progress);
        }
        builder = ScenarioRunner.WithVariant(runtime.Apply(builder), scenario, first);
        return ReplicaEnvironment.StartAsync(builder, new ReplicaEnvironmentOptions
        {
            Seed = seed,
            Network = scenario.Network,
            NetworkSetting = $"{scenario.NetworkLocation}: network",
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Dashboard.DisposeAsync();
        await Environment.DisposeAsync();
    }
}

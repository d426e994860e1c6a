using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Environments.Compose;
using Replica.Environments.Proxied;

namespace Replica.Testing;

/// <summary>
/// `replica sweep` from a test, on the fixture's environment (reused, restored between runs): a sweep the scenario
/// names, or PATH=RANGE values. Check the result with <see cref="SweepAssert"/>.
/// </summary>
public static class ScenarioSweeps
{
    /// <summary>The sweep called <paramref name="sweep"/> in the scenario's <c>sweeps:</c>.</summary>
    public static Task<SweepReport> RunAsync(ReplicaEnvironment environment, string scenarioFile, string sweep,
        IReadOnlyList<string>? variants = null, CancellationToken cancellationToken = default) =>
        RunAsync(environment, scenarioFile, SweepFileReader.Named(YamlFile.Load(scenarioFile), sweep), variants, cancellationToken);

    /// <summary>A sweep given as <c>PATH=RANGE</c> (one or two), <paramref name="runs"/> runs per value and round.</summary>
    public static Task<SweepReport> VaryAsync(ReplicaEnvironment environment, string scenarioFile, IReadOnlyList<string> vary,
        int? runs = null, IReadOnlyList<string>? variants = null, CancellationToken cancellationToken = default) =>
        RunAsync(environment, scenarioFile, SweepDefinition.FromFlags(vary, runs, null), variants, cancellationToken);

    private static async Task<SweepReport> RunAsync(ReplicaEnvironment environment, string scenarioFile, SweepDefinition definition,
        IReadOnlyList<string>? variants, CancellationToken cancellationToken)
    {
        var (scenario, _) = ScenarioLoader.Load(scenarioFile);
        var plan = SweepPlan.Create(YamlFile.Load(scenarioFile), null, scenario, definition, variants is null ? null : string.Join(',', variants));
        using var runner = new SingleEnvironmentSweepRunner(environment, scenario);
        return await SweepEngine.RunAsync(plan, runner, environment.Seed, environment.Environment.Runtime.Name, TimeSpan.Zero, null, cancellationToken);
    }
}

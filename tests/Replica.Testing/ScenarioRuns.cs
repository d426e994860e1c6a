using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Environments.Proxied;

namespace Replica.Testing;

/// <summary>Scenario files run from a test against the fixture's environment (which is reused, never rebuilt).</summary>
public static class ScenarioRuns
{
    /// <summary>One run of a variant (default: the first).</summary>
    public static async Task<RunResult> RunAsync(ReplicaEnvironment environment, string scenarioFile, string? variant = null, CancellationToken cancellationToken = default)
    {
        var scenario = Load(environment, scenarioFile);
        using var runner = new ScenarioRunner(environment, scenario);
        return await runner.RunAsync(variant is null ? scenario.Variants[0] : scenario.Variant(variant), 1, cancellationToken);
    }

    /// <summary>N runs per variant (default: all) and the verdicts, as `replica verify` reports them.</summary>
    public static Task<VerificationReport> VerifyAsync(ReplicaEnvironment environment, string scenarioFile, int runs, IReadOnlyList<string>? variants = null, CancellationToken cancellationToken = default)
    {
        var scenario = Load(environment, scenarioFile);
        var chosen = variants is null ? scenario.Variants : variants.Select(scenario.Variant).ToList();
        return ScenarioVerifier.VerifyAsync(environment, scenario, chosen, runs, TimeSpan.Zero, environment.Environment.Runtime.Name, null, cancellationToken);
    }

    private static Scenario Load(ReplicaEnvironment environment, string scenarioFile)
    {
        var (scenario, topology) = ScenarioLoader.Load(scenarioFile);
        if (!topology.Services.Select(s => s.Name).Order().SequenceEqual(environment.Topology.Services.Select(s => s.Name).Order()))
        {
            throw new InvalidOperationException($"{scenarioFile} is written for {scenario.ComposeFile}, whose services differ from the fixture's environment");
        }
        return scenario;
    }
}

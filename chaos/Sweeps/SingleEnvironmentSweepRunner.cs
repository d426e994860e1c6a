using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Environments.Proxied;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// A sweep's runs one after another on one environment, exactly as <c>replica verify</c> runs them: the environment
/// is reused, and restored by <see cref="ScenarioRunner"/> before each run (faults cleared, the variant's settings,
/// services running), never rebuilt.
/// </summary>
public sealed class SingleEnvironmentSweepRunner(ReplicaEnvironment environment, Scenario scenario) : ISweepRunner, IDisposable
{
    private readonly ScenarioRunner _runner = new(environment, scenario);

    public async Task RunAsync(IReadOnlyList<SweepRunRequest> batch, Action<SweepRunRequest, RunResult> onRun, CancellationToken cancellationToken)
    {
        // Variant by variant: a variant's settings are applied once for its runs in this batch.
        foreach (var request in batch.OrderBy(r => r.Variant.Name, StringComparer.Ordinal).ThenBy(r => r.Values[0]))
        {
            var result = await _runner.RunAsync(request.Scenario, request.Variant, request.Index, cancellationToken);
            onRun(request, result);
        }
    }

    public void Dispose() => _runner.Dispose();
}

using Replica.Chaos.Verification;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// Carries out a sweep's runs. A sweep asks for a batch at a time (a round of the adaptive search); the runs of a
/// batch are independent, so a runner over K environments may run them side by side. <see cref="SingleEnvironmentSweepRunner"/>
/// runs them one after another on one environment.
/// </summary>
public interface ISweepRunner
{
    /// <summary>Runs every request of <paramref name="batch"/>, calling <paramref name="onRun"/> as each ends (from one thread at a time).</summary>
    Task RunAsync(IReadOnlyList<SweepRunRequest> batch, Action<SweepRunRequest, RunResult> onRun, CancellationToken cancellationToken);
}

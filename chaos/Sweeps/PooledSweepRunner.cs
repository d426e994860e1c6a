using Replica.Chaos.Verification;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// A sweep's runs over the K copies of an <see cref="EnvironmentPool"/> (<c>replica sweep --parallel K</c>): every
/// request of a round is queued at once and each copy takes the next as soon as it is free, restored before each run
/// exactly as one environment is. Copies running side by side share the machine's cores, and a race's boundary moves
/// with load: <c>verify --calibrate</c> checks that K copies leave a scenario's rates unchanged.
/// </summary>
public sealed class PooledSweepRunner(EnvironmentPool pool) : ISweepRunner
{
    public async Task RunAsync(IReadOnlyList<SweepRunRequest> batch, Action<SweepRunRequest, RunResult> onRun, CancellationToken cancellationToken)
    {
        var report = new Lock();
        // A variant's runs queued together, so a copy restarts a service for new settings as rarely as it can.
        var ordered = batch.OrderBy(r => r.Variant.Name, StringComparer.Ordinal).ThenBy(r => r.Values[0]).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, pool.Count), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(ordered, options, async (request, token) =>
        {
            var result = await pool.RunAsync(request.Scenario, request.Variant, request.Index, token);
            lock (report)
            {
                onRun(request, result);
            }
        });
    }
}

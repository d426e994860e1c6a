using Replica.Chaos.Probes;
using Replica.Chaos.Sweeps;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Tests.Sweeps;

/// <summary>
/// A fake <see cref="ISweepRunner"/>: no environment, a failure model per variant instead (the probability that a run
/// at a value fails), drawn from a seeded random source. It lets the search be tested on curves the real race cannot
/// produce on demand (a known boundary, a flat line, a noisy slope); the real race is tested in the CLI tests.
/// </summary>
internal sealed class ModelSweepRunner(Func<string, double, double> failureProbability, int seed = 7) : ISweepRunner
{
    private readonly Random _random = new(seed);

    public List<SweepRunRequest> Requested { get; } = [];

    public List<int> BatchSizes { get; } = [];

    public Task RunAsync(IReadOnlyList<SweepRunRequest> batch, Action<SweepRunRequest, RunResult> onRun, CancellationToken cancellationToken)
    {
        BatchSizes.Add(batch.Count);
        foreach (var request in batch)
        {
            Requested.Add(request);
            var fails = _random.NextDouble() < failureProbability(request.Variant.Name, request.Values[0]);
            onRun(request, new RunResult(request.Variant.Name, request.Index, seed,
                fails ? RunOutcome.Symptom : RunOutcome.Passed,
                fails ? new FailureMode(FailureKind.WebSocketClosed, 1011, "Service not ready: redis") : null,
                [], [], TimeSpan.FromMilliseconds(10)));
        }
        return Task.CompletedTask;
    }
}

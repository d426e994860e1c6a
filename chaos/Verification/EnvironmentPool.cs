using System.Threading.Channels;
using Replica.Chaos.Scenarios;
using Replica.Environments.Proxied;

namespace Replica.Chaos.Verification;

/// <summary>
/// K isolated copies of a scenario's environment (each its own name, ports, proxies, processes or containers, data
/// directories and state file) and the scheduling of runs over them: a run takes whichever copy is free, and a copy
/// carries out one run at a time (restored before it, exactly as a single environment is between runs). The pool
/// owns its copies: disposing it tears them all down at once.
/// <para>
/// How a caller with its own runs uses it (a sweep: "N runs of variant V with these overrides"): start the copies
/// with <see cref="StartAsync"/>, then for each point make a <see cref="ScenarioVariant"/> whose settings carry the
/// overrides and call <see cref="RunAsync"/> once per run — concurrently, up to <see cref="Count"/> at a time, e.g.
/// through <see cref="RunAllAsync"/> with <see cref="PlannedRun"/>s, which also keeps the results in plan order. A
/// variant's settings are applied by the runner's restore on whichever copy takes the run; a copy restarts a service
/// only when the settings it last ran with differ, so runs of one variant queued together cost no extra restarts.
/// </para>
/// </summary>
public sealed class EnvironmentPool : IAsyncDisposable
{
    private readonly Scenario _scenario;
    private readonly List<Copy> _copies = [];
    private readonly Channel<Copy> _free = Channel.CreateUnbounded<Copy>();
    private int _disposed;

    private EnvironmentPool(Scenario scenario, long scenarioSeed)
    {
        _scenario = scenario;
        ScenarioSeed = scenarioSeed;
    }

    /// <summary>The seed runs derive theirs from (<see cref="RunSeeds"/>); copy 1's proxies use it as is.</summary>
    public long ScenarioSeed { get; }

    /// <summary>How many copies there are: how many runs can be carried out at once.</summary>
    public int Count
    {
        get { lock (_copies) { return _copies.Count; } }
    }

    /// <summary>The copies, in the order they were started (copy 1 first).</summary>
    public IReadOnlyList<ReplicaEnvironment> Copies
    {
        get { lock (_copies) { return _copies.Select(c => c.Environment).ToList(); } }
    }

    /// <summary>
    /// Starts <paramref name="count"/> copies at once with <paramref name="startCopy"/> (given the copy's number, 1-based;
    /// it must give each copy its own name and state). If one cannot start, those that did are torn down and the
    /// error is thrown.
    /// </summary>
    public static async Task<EnvironmentPool> StartAsync(
        Scenario scenario, long scenarioSeed, int count, Func<int, CancellationToken, Task<ReplicaEnvironment>> startCopy, CancellationToken cancellationToken)
    {
        var pool = new EnvironmentPool(scenario, scenarioSeed);
        try
        {
            await pool.GrowAsync(count, startCopy, cancellationToken);
            return pool;
        }
        catch
        {
            await pool.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts copies <see cref="Count"/>+1 … <paramref name="count"/> at once and adds them. On a failure every copy
    /// started here is torn down (the pool keeps those it had) and the first error is thrown.
    /// </summary>
    public async Task GrowAsync(int count, Func<int, CancellationToken, Task<ReplicaEnvironment>> startCopy, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var first = Count + 1;
        var starts = Enumerable.Range(first, Math.Max(0, count - first + 1)).Select(n => startCopy(n, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            await Task.WhenAll(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result.DisposeAsync().AsTask()));
            throw;
        }
        foreach (var environment in starts.Select(s => s.Result))
        {
            var copy = new Copy(environment, new ScenarioRunner(environment, _scenario));
            lock (_copies)
            {
                _copies.Add(copy);
            }
            _free.Writer.TryWrite(copy);
        }
    }

    /// <summary>
    /// Carries out run <paramref name="runIndex"/> of <paramref name="variant"/> on the first copy that is free
    /// (waiting for one), and names the copy and the run's seed in the result. Safe to call concurrently.
    /// </summary>
    public Task<RunResult> RunAsync(ScenarioVariant variant, int runIndex, CancellationToken cancellationToken) =>
        RunAsync(_scenario, variant, runIndex, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync(ScenarioVariant, int, CancellationToken)"/>, with the timeline and probes of
    /// <paramref name="scenario"/>: the pool's scenario with one value changed (a sweep's point) over the same topology.
    /// </summary>
    public async Task<RunResult> RunAsync(Scenario scenario, ScenarioVariant variant, int runIndex, CancellationToken cancellationToken)
    {
        var copy = await _free.Reader.ReadAsync(cancellationToken);
        try
        {
            var result = await copy.Runner.RunAsync(scenario, variant, runIndex, cancellationToken);
            return result with { Copy = copy.Environment.Name, RunSeed = RunSeeds.For(ScenarioSeed, variant.Name, runIndex) };
        }
        finally
        {
            _free.Writer.TryWrite(copy);
        }
    }

    /// <summary>
    /// Carries out every planned run, at most <paramref name="parallelism"/> (default: every copy) at once, taking them
    /// in plan order; <paramref name="onRun"/> sees each result as it ends (one at a time). The results come back in plan
    /// order. Cancelling stops taking runs; the runs under way end (their faults undone) before this throws.
    /// </summary>
    public async Task<IReadOnlyList<RunResult>> RunAllAsync(
        IReadOnlyList<PlannedRun> runs, Action<RunResult>? onRun, CancellationToken cancellationToken, int? parallelism = null)
    {
        var results = new RunResult[runs.Count];
        var report = new Lock();
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, Math.Min(parallelism ?? Count, Count)),
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, runs.Count), options, async (i, token) =>
        {
            var result = await RunAsync(runs[i].Variant, runs[i].Index, token);
            results[i] = result;
            lock (report)
            {
                onRun?.Invoke(result);
            }
        });
        return results;
    }

    /// <summary>Tears every copy down at once (each stops its edge proxy, services and TCP proxies).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _free.Writer.TryComplete();
        List<Copy> copies;
        lock (_copies)
        {
            copies = [.. _copies];
        }
        foreach (var copy in copies)
        {
            copy.Runner.Dispose();
        }
        await Task.WhenAll(copies.Select(c => c.Environment.DisposeAsync().AsTask()));
    }

    private sealed record Copy(ReplicaEnvironment Environment, ScenarioRunner Runner);
}

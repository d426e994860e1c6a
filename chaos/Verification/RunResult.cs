using Replica.Chaos.Probes;

namespace Replica.Chaos.Verification;

/// <summary>One run of one variant: its outcome, how it failed, what every probe saw, and the run's timeline.</summary>
/// <param name="Seed">The seed of the proxies' random sources in the environment (the copy) the run was carried out on.</param>
/// <param name="Copy">
/// The environment (copy) the run was carried out on, by name (verify-r2-…-2 under <c>verify --parallel</c>); null when
/// the runner was driven directly.
/// </param>
/// <param name="RunSeed">
/// The run's own seed, derived from the scenario's seed, the variant and the run index alone (<see cref="RunSeeds"/>): the
/// same for this run in every shard and at every parallelism.
/// </param>
public sealed record RunResult(
    string Variant,
    int Index,
    long Seed,
    RunOutcome Outcome,
    FailureMode? FailureMode,
    IReadOnlyList<ProbeObservation> Probes,
    IReadOnlyList<TimelineEvent> Timeline,
    TimeSpan Duration,
    string? Error = null,
    IReadOnlyList<string>? ServiceLog = null,
    string? Copy = null,
    long? RunSeed = null);

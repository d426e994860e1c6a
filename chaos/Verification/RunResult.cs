using Replica.Chaos.Probes;

namespace Replica.Chaos.Verification;

/// <summary>One run of one variant: its outcome, how it failed, what every probe saw, and the run's timeline.</summary>
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
    IReadOnlyList<string>? ServiceLog = null);

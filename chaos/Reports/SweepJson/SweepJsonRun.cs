using Replica.Chaos.Verification;

namespace Replica.Chaos.Reports.SweepJson;

/// <summary>One run of a sweep in its JSON: the variant and values it ran at, its outcome and failure, and where it ran.</summary>
/// <param name="Failed">A symptom or another failure.</param>
/// <param name="Failure">The failure's mode (<c>close 1011 "…"</c>); null when the run did not fail that way.</param>
/// <param name="DurationMs">Whole milliseconds.</param>
/// <param name="Copy">The environment copy it ran on; null when not recorded.</param>
internal sealed record SweepJsonRun(
    string Variant,
    IReadOnlyList<double> Values,
    int Index,
    RunOutcome Outcome,
    bool Failed,
    string? Failure,
    string? Error,
    double DurationMs,
    string? Copy);

namespace Replica.Chaos.Verification;

/// <summary>Everything `replica verify` found: per-variant summaries and every run, for --json and the other reports.</summary>
public sealed record VerificationReport(
    string Scenario,
    string Incident,
    string? IncidentLink,
    string Symptom,
    string Runtime,
    long Seed,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    TimeSpan EnvironmentStart,
    IReadOnlyList<VariantSummary> Variants,
    IReadOnlyList<RunResult> Runs)
{
    public bool ExpectationsHeld => Variants.Count > 0 && Variants.All(v => v.ExpectationHeld);
}

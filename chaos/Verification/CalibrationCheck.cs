namespace Replica.Chaos.Verification;

/// <summary>
/// `verify --calibrate`: the same short sample of every variant at K = 1 and at the chosen K, and whether the rate the
/// verdict counts (the symptom for a symptom variant, any failure for a pass variant) differs beyond the 95 %
/// intervals — that is, whether the two intervals do not overlap. A race that holds only at one K is a finding.
/// </summary>
/// <param name="Copies">The chosen K the second sample ran at.</param>
/// <param name="RunsPerVariant">The sample: runs per variant at each K.</param>
public sealed record CalibrationCheck(int Copies, int RunsPerVariant, IReadOnlyList<CalibrationVariant> Variants)
{
    public bool Differs => Variants.Any(v => v.Differs);

    public static CalibrationCheck From(int copies, int runsPerVariant, IReadOnlyList<VariantSummary> alone, IReadOnlyList<VariantSummary> parallel) =>
        new(copies, runsPerVariant, alone.Select(a =>
        {
            var p = parallel.Single(v => v.Variant == a.Variant);
            var differs = a.FailureRate.High < p.FailureRate.Low || p.FailureRate.High < a.FailureRate.Low;
            return new CalibrationVariant(a.Variant, Counted(a), a.Completed, a.FailureRate, Counted(p), p.Completed, p.FailureRate, differs);
        }).ToList());

    /// <summary>One line per variant: "baseline  K=1 10/10 (72.2–100.0 %)  K=4 10/10 (72.2–100.0 %)  same".</summary>
    public IEnumerable<string> Describe() =>
        Variants.Select(v => $"{v.Variant,-10} K=1 {v.Alone}/{v.AloneCompleted} ({v.AloneRate})  K={Copies} {v.Parallel}/{v.ParallelCompleted} ({v.ParallelRate})  {(v.Differs ? "DIFFERS" : "same within the intervals")}");

    private static int Counted(VariantSummary v) => v.Expectation == Scenarios.VariantExpectation.Symptom ? v.Symptoms : v.Failures;
}

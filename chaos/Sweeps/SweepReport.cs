namespace Replica.Chaos.Sweeps;

/// <summary>What a sweep found: per variant its curve and boundary, the expectations checked, and every run.</summary>
public sealed record SweepReport(
    SweepPlan Plan,
    IReadOnlyList<SweepVariantResult> Variants,
    IReadOnlyList<SweepExpectationResult> Expectations,
    long Seed,
    string Runtime,
    DateTimeOffset Started,
    TimeSpan Elapsed,
    TimeSpan EnvironmentStart)
{
    public bool ExpectationsHeld => Expectations.All(e => e.Held);

    public int TotalRuns => Variants.Sum(v => v.Cells.Sum(c => c.Runs.Count));

    /// <summary>What the sweep is called in titles: the scenario, and the sweep's name when it has one.</summary>
    public string Title => Plan.Name is null ? Plan.Scenario.Name : $"{Plan.Scenario.Name} · {Plan.Name}";
}

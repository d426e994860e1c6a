namespace Replica.Chaos.Reports.SweepJson;

/// <summary>
/// A sweep as `sweep --json` writes it (<see cref="SweepJsonWriter"/>): what was swept, how, when, and per variant its
/// curve and boundary, then the expectations and every run. Properties go out in this order, named in camelCase.
/// </summary>
/// <param name="Sweep">The sweep's name in the scenario file; null for one given with --vary.</param>
/// <param name="RunsPerValue">Runs per value in the first round.</param>
/// <param name="ElapsedSeconds">The sweep's wall time, rounded to 0.01 s.</param>
/// <param name="EnvironmentStartSeconds">The time the environment took to start, rounded to 0.01 s.</param>
internal sealed record SweepJsonReport(
    string Scenario,
    string? Sweep,
    string? Description,
    IReadOnlyList<SweepJsonAxis> Axes,
    int RunsPerValue,
    long Seed,
    string Runtime,
    DateTimeOffset Started,
    double ElapsedSeconds,
    double EnvironmentStartSeconds,
    int TotalRuns,
    bool ExpectationsHeld,
    IReadOnlyList<SweepJsonVariant> Variants,
    IReadOnlyList<SweepJsonExpectation> Expectations,
    IReadOnlyList<SweepJsonRun> Runs);

namespace Replica.Chaos.Scenarios;

/// <summary>
/// One variant: the same timeline and probes with other settings (the seed code, the fix staging tried, the real
/// fix), and what it is expected to do.
/// </summary>
public sealed record ScenarioVariant(
    string Name,
    VariantExpectation Expectation,
    string? Description,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings);

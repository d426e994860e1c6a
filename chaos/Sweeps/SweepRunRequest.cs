using Replica.Chaos.Scenarios;

namespace Replica.Chaos.Sweeps;

/// <summary>One run a sweep asks for: the variant, the scenario with the point's values in place, and the run's number there.</summary>
public sealed record SweepRunRequest(ScenarioVariant Variant, Scenario Scenario, IReadOnlyList<double> Values, int Index);

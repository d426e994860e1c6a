namespace Replica.Chaos.Sweeps;

/// <summary>Whether an expectation held, and what the sweep found that says so.</summary>
public sealed record SweepExpectationResult(SweepExpectation Expectation, bool Held, string Detail);

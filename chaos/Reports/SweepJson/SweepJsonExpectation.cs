namespace Replica.Chaos.Reports.SweepJson;

/// <summary>One expectation in a sweep's JSON: the variant, the requirement as the sweep wrote it, and whether it held.</summary>
internal sealed record SweepJsonExpectation(string Variant, string Expect, bool Held, string Detail);

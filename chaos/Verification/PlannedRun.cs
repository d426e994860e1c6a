using Replica.Chaos.Scenarios;

namespace Replica.Chaos.Verification;

/// <summary>One run to carry out: the variant and its run index (1-based, the same whichever shard or copy runs it).</summary>
public sealed record PlannedRun(ScenarioVariant Variant, int Index);

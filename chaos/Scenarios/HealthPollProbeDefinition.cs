using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>Polls a path until it answers <see cref="ExpectStatus"/>; fails with the last answer after <see cref="Within"/>.</summary>
public sealed record HealthPollProbeDefinition(
    string Name,
    ProbeTarget Target,
    SourceLocation Location,
    string Path,
    int ExpectStatus,
    TimeSpan Within,
    TimeSpan Interval)
    : ProbeDefinition(Name, Target, Location);

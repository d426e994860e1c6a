using Replica.Environments.Topology;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// One step of a scenario's timeline, at <see cref="At"/> from the run's start; with <see cref="For"/>, it is undone
/// that much later (a toxic removed, a rule removed, a paused service resumed, a stopped service started).
/// </summary>
public abstract record TimelineAction(TimeSpan At, TimeSpan? For, SourceLocation Location)
{
    /// <summary>A short description for progress lines and the timeline picture.</summary>
    public abstract string Describe();
}

using Replica.Environments.Topology;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// A service lifecycle step. Start and restart wait for the service to be healthy unless <see cref="WaitHealthy"/>
/// is false (a service whose health is part of what is being observed).
/// </summary>
public sealed record LifecycleAction(TimeSpan At, TimeSpan? For, SourceLocation Location, string Service, LifecycleVerb Verb, bool WaitHealthy)
    : TimelineAction(At, For, Location)
{
    public override string Describe() => $"{Verb.ToString().ToLowerInvariant()} {Service}";
}

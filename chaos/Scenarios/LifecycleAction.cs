using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// A service lifecycle step. Start and restart finish once the service is healthy, unless <see cref="WaitHealthy"/>
/// is false (a service whose health is itself what is being watched): then they finish once it is started.
/// </summary>
public sealed record LifecycleAction(string? Name, TimeSpan? At, TimeSpan After, TimeSpan? For, SourceLocation Location, string Service, LifecycleVerb Verb, bool WaitHealthy)
    : TimelineAction(Name, At, After, For, Location)
{
    public override string Describe() => $"{Verb.ToString().ToLowerInvariant()} {Service}";
}

using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// A service lifecycle step. Start and restart finish when <see cref="Wait"/> says: once the service is healthy (the
/// default), once its port accepts connections (a window measured from there moves with the service, not with the
/// machine's load), or once it is started (a service whose health is itself what is being watched).
/// </summary>
public sealed record LifecycleAction(string? Name, TimeSpan? At, TimeSpan After, TimeSpan? For, SourceLocation Location, string Service, LifecycleVerb Verb, ServiceWait Wait)
    : TimelineAction(Name, At, After, For, Location)
{
    public override string Describe() => $"{Verb.ToString().ToLowerInvariant()} {Service}";
}

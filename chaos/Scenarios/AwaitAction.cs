using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Waits, without touching the service, until it is what <see cref="Wait"/> says (healthy by default): e.g. healthy
/// again once a fault the timeline removed has let its startup finish, before a probe starts.
/// </summary>
public sealed record AwaitAction(string? Name, TimeSpan? At, TimeSpan After, SourceLocation Location, string Service, ServiceWait Wait)
    : TimelineAction(Name, At, After, null, Location)
{
    public override string Describe() => $"await {Service} {Wait.ToString().ToLowerInvariant()}";
}

using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>Starts the probe named <see cref="Probe"/> at this point of the timeline; the timeline goes on at once.</summary>
public sealed record ProbeAction(string? Name, TimeSpan? At, TimeSpan After, SourceLocation Location, string Probe)
    : TimelineAction(Name, At, After, null, Location)
{
    public override string Describe() => $"probe {Probe}";
}

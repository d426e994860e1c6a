using Replica.Environments.Topology;

namespace Replica.Chaos.Scenarios;

/// <summary>Takes a dependency edge down (Toxiproxy's enabled=false): new connections refused, open ones closed.</summary>
public sealed record EdgeDownAction(TimeSpan At, TimeSpan? For, SourceLocation Location, string Edge)
    : TimelineAction(At, For, Location)
{
    public override string Describe() => $"{Edge} down";
}

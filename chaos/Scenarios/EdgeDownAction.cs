using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>Takes a dependency edge down (Toxiproxy's enabled=false): new connections refused, open ones closed.</summary>
public sealed record EdgeDownAction(string? Name, TimeSpan? At, TimeSpan After, TimeSpan? For, SourceLocation Location, string Edge)
    : TimelineAction(Name, At, After, For, Location)
{
    public override string Describe() => $"{Edge} down";
}

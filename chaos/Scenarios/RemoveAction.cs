using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>Undoes the earlier step named <see cref="Target"/> (removes its toxic or rule, brings its edge back up).</summary>
public sealed record RemoveAction(string? Name, TimeSpan? At, TimeSpan After, SourceLocation Location, string Target)
    : TimelineAction(Name, At, After, null, Location)
{
    public override string Describe() => $"remove {Target}";
}

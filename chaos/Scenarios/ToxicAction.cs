using System.Text.Json.Nodes;
using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>A Toxiproxy toxic on a dependency edge, as Toxiproxy's JSON (type, stream, toxicity, attributes).</summary>
public sealed record ToxicAction(string? Name, TimeSpan? At, TimeSpan After, TimeSpan? For, SourceLocation Location, string Edge, JsonObject Toxic)
    : TimelineAction(Name, At, After, For, Location)
{
    public string Type => Toxic["type"]?.GetValue<string>() ?? "?";

    public override string Describe() => $"{Type} on {Edge}";
}

using System.Text.Json.Nodes;
using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>An edge-proxy fault rule (HTTP or WebSocket), in the rule JSON of proxy/RULES.md.</summary>
public sealed record EdgeRuleAction(string? Name, TimeSpan? At, TimeSpan After, TimeSpan? For, SourceLocation Location, JsonObject Rule)
    : TimelineAction(Name, At, After, For, Location)
{
    public override string Describe() =>
        Rule["action"] is JsonObject action && action.Count == 1 ? $"edge rule: {action.First().Key}" : "edge rule";
}

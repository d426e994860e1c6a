using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// The edge-proxy actions an <c>edge_rule</c> step may name, for the scenario JSON Schema and its test. The single
/// point the edge proxy's list feeds: today its parser's <see cref="FaultRuleParser.ActionKinds"/>; an action registry
/// in the proxy replaces that expression here and nowhere else.
/// </summary>
public static class EdgeActionNames
{
    public static IReadOnlyList<string> All { get; } = FaultRuleParser.ActionKinds.Split(", ");
}

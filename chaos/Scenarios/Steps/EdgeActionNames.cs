using Replica.Proxy.Edge.Faults.Actions;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// The edge-proxy actions an <c>edge_rule</c> step may name, for the scenario JSON Schema and its test: the edge
/// proxy's built-in action registry, <see cref="FaultActionRegistry.BuiltIn"/>.
/// </summary>
public static class EdgeActionNames
{
    public static IReadOnlyList<string> All { get; } = [.. FaultActionRegistry.BuiltIn.Kinds.Select(k => k.Name)];
}

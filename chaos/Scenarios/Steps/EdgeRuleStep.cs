using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Chaos.Faults;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>An edge-proxy fault rule (HTTP or WebSocket frames), read by the edge proxy's own parser when the file is read.</summary>
public sealed record EdgeRuleStep(StepTiming Timing, FaultRule Rule) : TimelineStep(Timing)
{
    public static StepKind Kind { get; } = new("edge_rule", "a rule (proxy/Replica.Proxy.Edge/RULES.md)",
        "an edge-proxy rule: delay, abort, reset, cold start, bandwidth, WebSocket frame delay/drop/inject, close",
        TimedUndo: true, Waits: StepKind.NoWait, Read);

    public override bool Removable => true;

    public override string Describe() => $"edge rule: {Rule.Action.Kind}";

    public override Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var fault = ReplicaFaults.AddEdgeRules(context.Environment, [Rule]);
        return Task.FromResult<FaultHandle?>(context.Recorded(fault, fault.Description));
    }

    private static EdgeRuleStep? Read(StepReadContext context)
    {
        var path = context.Path + ".edge_rule";
        if (context.Topology.EdgeRoutes.Count == 0)
        {
            context.Problem(context.Value, $"{path}: {context.Topology.SourceFile} declares no edge proxy (x-replica.edge.routes)");
            return null;
        }
        if (YamlJson.Convert(context.Value) is not JsonObject json)
        {
            context.Problem(context.Value, $"{path}: expected a rule (a mapping with at least 'action'; see proxy/Replica.Proxy.Edge/RULES.md)");
            return null;
        }
        using var document = JsonDocument.Parse(json.ToJsonString());
        var parsed = FaultRuleParser.Parse(document.RootElement);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                context.Problem(YamlJson.Locate(context.Value, error.Field), $"{path}.{error.Field}: {error.Message}");
            }
            return null;
        }
        var rule = parsed.Rules.Single();
        if (rule.Id is { } id && !context.RuleIds.Add(id))
        {
            context.Problem(YamlJson.Locate(context.Value, "id"), $"{path}.id: another edge_rule step above uses id '{id}' (the edge proxy holds one rule per id)");
        }
        return new EdgeRuleStep(context.Timing, rule);
    }
}

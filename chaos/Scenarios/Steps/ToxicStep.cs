using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Chaos.Faults;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>A Toxiproxy toxic on a service's connection to a dependency, checked by the TCP fault proxy's own rules when the file is read.</summary>
public sealed record ToxicStep(StepTiming Timing, string Dependency, ToxicSpec Toxic) : TimelineStep(Timing)
{
    public static StepKind Kind { get; } = new("toxic", "{ dependency, type, attributes, stream, toxicity, name }",
        "any toxic of the TCP fault proxy on a service's connection to a dependency (e.g. `dependency: backend_redis`)",
        TimedUndo: true, Waits: StepKind.NoWait, Read);

    public override bool Removable => true;

    public override string Describe() => $"{Toxic.Type} on {Dependency}";

    public override Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var fault = ReplicaFaults.AddToxic(context.Environment, Dependency, Toxic);
        return Task.FromResult<FaultHandle?>(context.Recorded(fault, fault.Description));
    }

    private static ToxicStep? Read(StepReadContext context)
    {
        var path = context.Path + ".toxic";
        if (context.Reader.Mapping(context.Value, path) is not { } map)
        {
            return null;
        }
        context.Reader.CheckKeys(map, path, ScenarioKeys.Toxic);
        if (context.ReadDependency(map, path) is not { } dependency)
        {
            return null;
        }
        var json = (JsonObject)YamlJson.Convert(map)!;
        json.Remove("dependency");
        json.Remove("edge");
        try
        {
            using var document = JsonDocument.Parse(json.ToJsonString());
            var toxic = ToxicSpec.FromJson(document.RootElement.Clone()); // attribute values outlive the document
            Replica.Proxy.Tcp.Toxics.Toxic.Validate(toxic);
            return new ToxicStep(context.Timing, dependency, toxic);
        }
        catch (Exception ex) when (ex is ToxiproxyException or ArgumentException)
        {
            context.Problem(context.Value, $"{path}: {ex.Message}");
            return null;
        }
    }
}

using Replica.Chaos.Faults;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Takes a service's connection to a dependency down (Toxiproxy's enabled=false): new connections refused, open ones closed.</summary>
public sealed record DependencyDownStep(StepTiming Timing, string Dependency) : TimelineStep(Timing)
{
    public static StepKind Kind { get; } = new("down", "DEPENDENCY or { dependency }",
        "a service's connection to a dependency refuses new connections and closes open ones",
        TimedUndo: true, Waits: StepKind.NoWait, Read);

    public override bool Removable => true;

    public override string Describe() => $"{Dependency} down";

    public override Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken) =>
        Task.FromResult<FaultHandle?>(context.Recorded(ReplicaFaults.TakeDown(context.Environment, Dependency), Describe()));

    private static DependencyDownStep? Read(StepReadContext context)
    {
        var path = context.Path + ".down";
        string? dependency;
        if (context.Value is YamlMappingNode map)
        {
            context.Reader.CheckKeys(map, path, ScenarioKeys.Down);
            dependency = context.ReadDependency(map, path);
        }
        else
        {
            dependency = context.Reader.String(context.Value, path) is { } name && context.CheckDependency(context.Value, path, name) ? name : null;
        }
        return dependency is null ? null : new DependencyDownStep(context.Timing, dependency);
    }
}

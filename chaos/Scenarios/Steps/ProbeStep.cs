using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Starts the probe named <see cref="Probe"/> at this point of the timeline; the timeline goes on at once.</summary>
public sealed record ProbeStep(StepTiming Timing, string Probe) : TimelineStep(Timing)
{
    public static StepKind Kind { get; } = new("probe", "NAME", "starts the probe with that name here (probes not started by a step start after the last step)",
        TimedUndo: false, Waits: false, Read);

    public override string Describe() => $"probe {Probe}";

    public override Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        context.StartProbe(Probe);
        return Task.FromResult<FaultHandle?>(null);
    }

    private static ProbeStep? Read(StepReadContext context)
    {
        var path = context.Path + ".probe";
        if (context.Reader.String(context.Value, path) is not { } probe)
        {
            return null;
        }
        if (context.Probes.All(p => p.Name != probe))
        {
            context.Problem(context.Value, $"{path}: no probe called '{probe}'{Replica.Environments.Compose.KeySuggestion.For(probe, context.Probes.Select(p => p.Name))}");
        }
        else if (!context.Started.Add(probe))
        {
            context.Problem(context.Value, $"{path}: probe '{probe}' is already started above");
        }
        return new ProbeStep(context.Timing, probe);
    }
}

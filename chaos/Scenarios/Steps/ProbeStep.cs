using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// Starts the probe named <see cref="Probe"/> at this point of the timeline; the timeline goes on at once, or with
/// <c>wait: open</c> once the probe's WebSocket is open.
/// </summary>
public sealed record ProbeStep(StepTiming Timing, string Probe, ProbeWait Wait) : TimelineStep(Timing)
{
    public static StepKind Kind { get; } = new("probe", "NAME", "starts the probe with that name here (probes not started by a step start after the last step); `wait: open` goes on once its WebSocket is open",
        TimedUndo: false, Waits: ["started", "open"], Read);

    public override string Describe() => Wait == ProbeWait.Open ? $"probe {Probe} until open" : $"probe {Probe}";

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var opened = context.StartProbe(Probe);
        if (Wait == ProbeWait.Open)
        {
            await opened.WaitAsync(cancellationToken);
        }
        return null;
    }

    private static ProbeStep? Read(StepReadContext context)
    {
        var path = context.Path + ".probe";
        var wait = context.ReadWait(Kind.Waits) == "open" ? ProbeWait.Open : ProbeWait.Started;
        if (context.Reader.String(context.Value, path) is not { } probe)
        {
            return null;
        }
        if (context.Probes.FirstOrDefault(p => p.Name == probe) is not { } definition)
        {
            context.Problem(context.Value, $"{path}: no probe called '{probe}'{Replica.Environments.Compose.KeySuggestion.For(probe, context.Probes.Select(p => p.Name))}");
        }
        else if (!context.Started.Add(probe))
        {
            context.Problem(context.Value, $"{path}: probe '{probe}' is already started above");
        }
        else if (wait == ProbeWait.Open && definition is not WebSocketProbeDefinition)
        {
            context.Problem(context.Reader.Child(context.Step, "wait")!, $"{context.Path}.wait: open is for a websocket probe; '{probe}' is not one");
        }
        return new ProbeStep(context.Timing, probe, wait);
    }
}

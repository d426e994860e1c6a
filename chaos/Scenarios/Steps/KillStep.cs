using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Kills a service (SIGKILL): no graceful shutdown, as a crash or an OOM kill.</summary>
public sealed record KillStep(StepTiming Timing, string Service) : ServiceStep(Timing, Service)
{
    public static StepKind Kind { get; } = new("kill", "SERVICE", "kills a service with SIGKILL (no graceful shutdown)",
        TimedUndo: false, Waits: StepKind.NoWait, c => ReadService(c, "kill") is { } s ? new KillStep(c.Timing, s) : null);

    public override string Describe() => $"kill {Service}";

    public override string? Impossible(ServiceState state) =>
        state is ServiceState.Stopped ? $"kills {Service}, which is already stopped then" : null;

    public override ServiceState StateAfter(ServiceState before) => ServiceState.Stopped;

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        await Begin(context).KillAsync(cancellationToken);
        return null;
    }
}

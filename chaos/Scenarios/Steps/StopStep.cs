using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Stops a running service (SIGTERM, then SIGKILL after a grace); undone (with <c>for</c>) by starting it again.</summary>
public sealed record StopStep(StepTiming Timing, string Service) : ServiceStep(Timing, Service)
{
    public static StepKind Kind { get; } = new("stop", "SERVICE", "stops a running service; `for:` starts it again",
        TimedUndo: true, Waits: StepKind.NoWait, c => ReadService(c, "stop") is { } s ? new StopStep(c.Timing, s) : null);

    public override string Describe() => $"stop {Service}";

    public override string? Impossible(ServiceState state) =>
        state is ServiceState.Running ? null : $"stops {Service}, which is {Lower(state)} then";

    public override ServiceState StateAfter(ServiceState before) => ServiceState.Stopped;

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var service = Begin(context);
        await service.StopAsync(cancellationToken);
        return new FaultHandle(Describe(), async () => await service.StartAsync(CancellationToken.None));
    }
}

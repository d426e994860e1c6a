using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// Waits, touching nothing, until a service is what <see cref="Wait"/> says (healthy by default): e.g. healthy again
/// once a fault the timeline removed has let its startup finish, before a probe starts.
/// </summary>
public sealed record AwaitStep(StepTiming Timing, string Service, ServiceWait Wait) : ServiceStep(Timing, Service)
{
    public static StepKind Kind { get; } = new("await", "SERVICE", "waits, touching nothing, until a service is healthy (or as `wait:` says)",
        TimedUndo: false, Waits: StepKind.ServiceWaits, c => ReadService(c, "await") is { } s ? new AwaitStep(c.Timing, s, c.ReadServiceWait()) : null);

    public override string Describe() => $"await {Service} {Wait.ToString().ToLowerInvariant()}";

    public override string? Impossible(ServiceState state) =>
        state is ServiceState.Running ? null : $"awaits {Service}, which is {Lower(state)} then";

    public override ServiceState StateAfter(ServiceState before) => before;

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var service = context.Environment[Service];
        switch (Wait)
        {
            case ServiceWait.Healthy: await service.WaitReadyAsync(cancellationToken); break;
            case ServiceWait.Listening: await ListeningWait.WaitAsync(service, cancellationToken); break;
        }
        context.Recorder.Point(Service, "lifecycle", $"{Service} {Wait.ToString().ToLowerInvariant()}");
        return null;
    }
}

using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Starts a stopped service; done when it is what <see cref="Wait"/> says (healthy by default).</summary>
public sealed record StartStep(StepTiming Timing, string Service, ServiceWait Wait) : ServiceStep(Timing, Service)
{
    public static StepKind Kind { get; } = new("start", "SERVICE", "starts a stopped service; done when healthy, or as `wait:` says",
        TimedUndo: false, Waits: StepKind.ServiceWaits, c => ReadService(c, "start") is { } s ? new StartStep(c.Timing, s, c.ReadServiceWait()) : null);

    public override string Describe() => $"start {Service}";

    public override string? Impossible(ServiceState state) =>
        state is ServiceState.Stopped ? null : $"starts {Service}, which is {Lower(state)} then (stop it first)";

    public override ServiceState StateAfter(ServiceState before) => ServiceState.Running;

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var service = Begin(context);
        await service.StartAsync(waitUntilReady: Wait == ServiceWait.Healthy, cancellationToken);
        await ListeningWait.WaitIfAsked(service, Wait, cancellationToken);
        return null;
    }
}

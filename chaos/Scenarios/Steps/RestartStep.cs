using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Stops and starts a service; done when it is what <see cref="Wait"/> says (healthy by default).</summary>
public sealed record RestartStep(StepTiming Timing, string Service, ServiceWait Wait) : ServiceStep(Timing, Service)
{
    public static StepKind Kind { get; } = new("restart", "SERVICE", "stops and starts a service; done when healthy, or as `wait:` says",
        TimedUndo: false, Waits: StepKind.ServiceWaits, c => ReadService(c, "restart") is { } s ? new RestartStep(c.Timing, s, c.ReadServiceWait()) : null);

    public override string Describe() => $"restart {Service}";

    public override string? Impossible(ServiceState state) =>
        state is ServiceState.Paused ? $"restarts {Service} while it is paused (resume it first)" : null;

    public override ServiceState StateAfter(ServiceState before) => ServiceState.Running;

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var service = Begin(context);
        await service.RestartAsync(waitUntilReady: Wait == ServiceWait.Healthy, cancellationToken);
        await ListeningWait.WaitIfAsked(service, Wait, cancellationToken);
        return null;
    }
}

using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Freezes a running service (SIGSTOP or docker pause): it holds its connections and answers nothing; undone (with <c>for</c>) by resuming it.</summary>
public sealed record PauseStep(StepTiming Timing, string Service) : ServiceStep(Timing, Service)
{
    public static StepKind Kind { get; } = new("pause", "SERVICE", "freezes a running service (it keeps its connections, answers nothing); `for:` resumes it",
        TimedUndo: true, Waits: StepKind.NoWait, c => ReadService(c, "pause") is { } s ? new PauseStep(c.Timing, s) : null);

    public override string Describe() => $"pause {Service}";

    public override string? Impossible(ServiceState state) =>
        state is ServiceState.Running ? null : $"pauses {Service}, which is {Lower(state)} then";

    public override ServiceState StateAfter(ServiceState before) => ServiceState.Paused;

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        var service = Begin(context);
        await service.PauseAsync(cancellationToken);
        return new FaultHandle(Describe(), async () => await service.ResumeAsync(CancellationToken.None));
    }
}

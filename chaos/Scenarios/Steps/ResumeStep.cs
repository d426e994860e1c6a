using Replica.Chaos.Faults;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>Resumes a paused service.</summary>
public sealed record ResumeStep(StepTiming Timing, string Service) : ServiceStep(Timing, Service)
{
    public static StepKind Kind { get; } = new("resume", "SERVICE", "resumes a paused service",
        TimedUndo: false, Waits: StepKind.NoWait, c => ReadService(c, "resume") is { } s ? new ResumeStep(c.Timing, s) : null);

    public override string Describe() => $"resume {Service}";

    public override string? Impossible(ServiceState state) =>
        state is ServiceState.Paused ? null : $"resumes {Service}, which is not paused then";

    public override ServiceState StateAfter(ServiceState before) => ServiceState.Running;

    public override async Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken)
    {
        await Begin(context).ResumeAsync(cancellationToken);
        return null;
    }
}

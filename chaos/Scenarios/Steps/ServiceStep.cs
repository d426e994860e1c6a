using Replica.Environments.Hosting;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// A step on one service (start, stop, restart, kill, pause, resume, await). The loader follows each service's state
/// down the timeline with <see cref="Impossible"/> and <see cref="StateAfter"/>, so a step that cannot run — resuming a
/// service that is not paused — is reported before anything starts.
/// </summary>
public abstract record ServiceStep(StepTiming Timing, string Service) : TimelineStep(Timing)
{
    /// <summary>Why the step cannot run on the service in <paramref name="state"/> (completing "the step …"), or null.</summary>
    public abstract string? Impossible(ServiceState state);

    /// <summary>The service's state once the step is done (and not undone by <c>for</c>), given its state before.</summary>
    public abstract ServiceState StateAfter(ServiceState before);

    /// <summary>Records the step on the service's lane, then returns the service.</summary>
    protected RunningService Begin(StepRunContext context)
    {
        context.Recorder.Point(Service, "lifecycle", Describe());
        return context.Environment[Service];
    }

    /// <summary>Reads SERVICE after the kind's key; null (with a problem) when it is not a service of the compose file.</summary>
    protected static string? ReadService(StepReadContext context, string key) => context.ReadService(key);

    protected static string Lower(ServiceState state) => state.ToString().ToLowerInvariant();
}

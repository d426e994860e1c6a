using Replica.Chaos.Faults;
using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// One step of a scenario's timeline, of one <see cref="StepKind"/>: its values were read and checked when the file was
/// loaded, so applying it parses nothing. Steps run in order, like a script (see <see cref="StepTiming"/>).
/// </summary>
public abstract record TimelineStep(StepTiming Timing)
{
    public string? Name => Timing.Name;

    public TimeSpan? At => Timing.At;

    public TimeSpan After => Timing.After;

    public TimeSpan? For => Timing.For;

    public SourceLocation Location => Timing.Location;

    /// <summary>Whether a later `remove` step may undo it (a fault; not a lifecycle step).</summary>
    public virtual bool Removable => false;

    /// <summary>A short description for progress lines, the timeline picture and the reports, e.g. "startup_delay on backend_redis".</summary>
    public abstract string Describe();

    /// <summary>
    /// Does the step; returns the handle that undoes it (a toxic removed, a paused service resumed) or null when there is
    /// nothing to undo. Finishes when the step is done (a restart: when the service is what the step waits for).
    /// </summary>
    public abstract Task<FaultHandle?> ApplyAsync(StepRunContext context, CancellationToken cancellationToken);
}

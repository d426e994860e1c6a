using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// When a step runs, common to every kind: at <see cref="At"/> from the run's start (when given) or <see cref="After"/>
/// the previous step finished — never before the previous step finished; with <see cref="For"/>, undone that long after
/// it was applied. <see cref="Name"/> lets a later `remove` step undo it.
/// </summary>
public sealed record StepTiming(string? Name, TimeSpan? At, TimeSpan After, TimeSpan? For, SourceLocation Location)
{
    /// <summary>Right after the previous step, unnamed, never undone by time.</summary>
    public static StepTiming Next(SourceLocation location) => new(null, null, TimeSpan.Zero, null, location);
}

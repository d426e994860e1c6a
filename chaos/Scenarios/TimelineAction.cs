using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// One step of a scenario's timeline. Steps run in order, like a script: a step starts at <see cref="At"/> from the
/// run's start (when given), or <see cref="After"/> the previous step finished — whichever applies, and never before
/// the previous step finished. With <see cref="For"/>, the step is undone that long after it was applied (a toxic or
/// rule removed, a paused service resumed, a stopped one started); a named step can also be undone by a later
/// `remove` step.
/// </summary>
public abstract record TimelineAction(string? Name, TimeSpan? At, TimeSpan After, TimeSpan? For, SourceLocation Location)
{
    /// <summary>A short description for progress lines and the timeline picture.</summary>
    public abstract string Describe();
}

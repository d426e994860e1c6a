using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// When a one-shot frame action (inject, close) fires on a connection; exactly one is set. It fires once per
/// connection, after the frame that triggers it has been delivered.
/// </summary>
/// <param name="AfterFrames">After this many data messages have been delivered in the action's direction.</param>
/// <param name="After">This long after the connection opened or the rule was added, whichever is later.</param>
/// <param name="OnFrame">After a data message whose JSON matches is delivered in the action's direction.</param>
public sealed record FrameTrigger(int? AfterFrames = null, TimeSpan? After = null, FrameMatch? OnFrame = null)
{
    public static FrameTrigger AfterFrameCount(int frames) => new(AfterFrames: frames);

    public static FrameTrigger AfterTime(TimeSpan after) => new(After: after);

    public static FrameTrigger When(FrameMatch frame) => new(OnFrame: frame);

    /// <summary>What is wrong with the trigger, each with its field as in the rule JSON.</summary>
    internal IEnumerable<Parsing.RuleError> Validate()
    {
        var given = (AfterFrames is null ? 0 : 1) + (After is null ? 0 : 1) + (OnFrame is null ? 0 : 1);
        if (given != 1)
        {
            return [new("afterFrames", "give exactly one trigger: afterFrames, afterMs or onFrame")];
        }
        if (AfterFrames < 0)
        {
            return [new("afterFrames", "must be ≥ 0")];
        }
        if (After is { } after && (after < TimeSpan.Zero || after > FaultLimits.MaxTime))
        {
            return [new("afterMs", FaultLimits.TimeRange)];
        }
        return OnFrame?.Validate("onFrame") ?? [];
    }
}

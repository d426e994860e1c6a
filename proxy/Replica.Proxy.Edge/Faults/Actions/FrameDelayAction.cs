using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Delays each matching WebSocket data message; later messages wait behind it, so order is kept.</summary>
public sealed record FrameDelayAction(FrameDirection Direction, DelayDistribution Delay, FrameMatch Frame) : FrameFaultAction(Direction)
{
    public override string Kind => "frameDelay";

    internal override IEnumerable<Parsing.RuleError> Validate() => Delay.Validate().Concat(Frame.Validate("frame"));
}

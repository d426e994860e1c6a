using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Drops matching WebSocket data messages; every other frame is delivered, in order.</summary>
public sealed record FrameDropAction(FrameDirection Direction, FrameMatch Frame) : FrameFaultAction(Direction)
{
    public override string Kind => "frameDrop";

    internal override IEnumerable<Parsing.RuleError> Validate() => Frame.Validate("frame");
}

using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Drops matching WebSocket data messages; every other frame is delivered, in order.</summary>
public sealed record FrameDropAction(FrameDirection Direction, FrameMatch Frame) : PerMessageFrameAction(Direction, Frame)
{
    public static FaultActionKind<FrameDropAction> Definition { get; } = new(
        "frameDrop",
        [ActionJson.DirectionField(allowBoth: true), ActionJson.FrameField],
        f => new FrameDropAction(ActionJson.ReadDirection(f, allowBoth: true), ActionJson.ReadFrame(f, "frame") ?? FrameMatch.All),
        d => ActionJson.WithFrame(ActionJson.Direction(d.Direction), "frame", d.Frame))
    {
        Examples = ["""{"direction":"toClient","frame":{"type":"agent_completed"}}"""],
        Effect = "the matching message is not delivered; everything else is, in order. A compressed message is never dropped",
    };

    public override FaultActionKind Descriptor => Definition;

    internal override IEnumerable<Parsing.RuleError> Validate() => Frame.Validate("frame");

    internal override void OnMessage(FrameMessage message, InstalledRule rule, IFrameConnection connection)
    {
        // A compressed message is never dropped: with context takeover the receiver's inflate state needs it.
        if (!message.Dropped && !message.Payload.Compressed && Frame.Matches(message.Payload) && rule.Roll())
        {
            message.Dropped = true;
            connection.RecordFault(rule, this, message.Direction, message.Preview);
        }
    }
}

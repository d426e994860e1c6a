using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Delays each matching WebSocket data message; later messages wait behind it, so order is kept.</summary>
public sealed record FrameDelayAction(FrameDirection Direction, DelayDistribution Delay, FrameMatch Frame) : PerMessageFrameAction(Direction, Frame)
{
    public static FaultActionKind<FrameDelayAction> Definition { get; } = new(
        "frameDelay",
        [ActionJson.DirectionField(allowBoth: true), ActionJson.FrameField, .. ActionJson.DelayFields],
        Read,
        d => ActionJson.WriteDelay(d.Delay, ActionJson.WithFrame(ActionJson.Direction(d.Direction), "frame", d.Frame)))
    {
        Examples = ["""{"direction":"toClient","ms":300,"frame":{"type":"agent_thinking"}}"""],
        Effect = "the matching message is delivered at least that much later (delay fields as for `delay`); later messages wait behind it, so order is kept",
    };

    public override FaultActionKind Descriptor => Definition;

    internal override IEnumerable<Parsing.RuleError> Validate() => Delay.Validate().Concat(Frame.Validate("frame"));

    internal override void OnMessage(FrameMessage message, InstalledRule rule, IFrameConnection connection)
    {
        if (Frame.Matches(message.Payload) && rule.Roll())
        {
            var sampled = Delay.Sample(rule.NextUnit());
            message.Delay += sampled;
            connection.RecordFault(rule, this, message.Direction, $"{sampled.TotalMilliseconds:0} ms {message.Preview}");
        }
    }

    private static FrameDelayAction? Read(Parsing.JsonObjectReader f)
    {
        var direction = ActionJson.ReadDirection(f, allowBoth: true);
        var frame = ActionJson.ReadFrame(f, "frame") ?? FrameMatch.All;
        return ActionJson.ReadDelay(f) is { } d ? new FrameDelayAction(direction, d, frame) : null;
    }
}

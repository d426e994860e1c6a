namespace Replica.Proxy.Faults.Actions;

/// <summary>Sends a text message the peer never wrote, toward the client or the upstream, when the trigger fires.</summary>
/// <param name="Direction">ToClient or ToUpstream: where the message goes, and which frames the trigger counts.</param>
public sealed record FrameInjectAction(FrameDirection Direction, FrameTrigger When, string Text) : FrameFaultAction(Direction)
{
    public override string Kind => "frameInject";
}

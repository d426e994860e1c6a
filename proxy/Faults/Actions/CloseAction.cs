namespace Replica.Proxy.Faults.Actions;

/// <summary>
/// Closes the WebSocket with a real close frame when the trigger fires: the client receives <see cref="Code"/> and
/// <see cref="Reason"/> as if the server closed; the upstream receives the same close, as if the client left.
/// </summary>
/// <param name="Direction">Which frames the trigger counts or matches.</param>
public sealed record CloseAction(int Code, string Reason, FrameDirection Direction, FrameTrigger When) : FrameFaultAction(Direction)
{
    public override string Kind => "close";
}

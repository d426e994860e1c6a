namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>An action on the frames of an open WebSocket connection, in one direction or both.</summary>
public abstract record FrameFaultAction(FrameDirection Direction) : FaultAction
{
    internal bool Covers(FrameDirection direction) => Direction == FrameDirection.Both || Direction == direction;
}

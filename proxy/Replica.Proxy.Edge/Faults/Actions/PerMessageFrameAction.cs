using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>A frame action that looks at every data message matching <see cref="Frame"/> (drop, delay).</summary>
public abstract record PerMessageFrameAction(FrameDirection Direction, FrameMatch Frame) : FrameFaultAction(Direction)
{
    internal sealed override bool ReadsMessages => true;

    internal abstract override void OnMessage(FrameMessage message, InstalledRule rule, IFrameConnection connection);
}

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>A frame action that acts once per connection, when its trigger <see cref="When"/> fires (inject, close).</summary>
public abstract record OneShotFrameAction(FrameDirection Direction, FrameTrigger When) : FrameFaultAction(Direction)
{
    internal sealed override FrameTrigger? Trigger => When;

    internal abstract override Task FireAsync(InstalledRule rule, IFrameConnection connection, CancellationToken cancellationToken);
}

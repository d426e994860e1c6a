namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// An action on the frames of an open WebSocket connection, in one direction or both. The connection moves bytes and
/// asks its actions what to do: a <see cref="PerMessageFrameAction"/> decides the fate of each message it sees, a
/// <see cref="OneShotFrameAction"/> acts once per connection when its trigger fires.
/// </summary>
public abstract record FrameFaultAction(FrameDirection Direction) : FaultAction
{
    internal bool Covers(FrameDirection direction) => Direction == FrameDirection.Both || Direction == direction;

    /// <summary>True when the action must see every data message whole (to match, drop or delay it).</summary>
    internal virtual bool ReadsMessages => false;

    /// <summary>When a one-shot action fires; null for an action that acts on each message.</summary>
    internal virtual FrameTrigger? Trigger => null;

    /// <summary>Decides what happens to one whole data message in a direction the action covers, while its rule is active.</summary>
    internal virtual void OnMessage(FrameMessage message, InstalledRule rule, IFrameConnection connection)
    {
    }

    /// <summary>Acts on the connection once its trigger fired (and its rule's probability drew yes).</summary>
    internal virtual Task FireAsync(InstalledRule rule, IFrameConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;
}

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>An open WebSocket connection as a frame action sees it: what the action may do to it, and where it reports.</summary>
internal interface IFrameConnection
{
    /// <summary>Counts and logs one injected fault; <paramref name="direction"/> null names the connection as a whole.</summary>
    void RecordFault(InstalledRule rule, FrameFaultAction action, FrameDirection? direction, string detail);

    /// <summary>Sends a text message the peer never wrote, as one whole frame (masked toward the upstream, as a client must).</summary>
    Task SendTextAsync(FrameDirection direction, string text, CancellationToken cancellationToken);

    /// <summary>Closes both sides with real close frames: the client gets (code, reason) as from the server, the upstream as from the client.</summary>
    Task CloseAsync(int code, string reason, CancellationToken cancellationToken);
}

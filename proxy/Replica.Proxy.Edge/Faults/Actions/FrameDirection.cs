namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Which way WebSocket frames travel.</summary>
public enum FrameDirection
{
    /// <summary>Upstream to client (what the server sends).</summary>
    ToClient,
    /// <summary>Client to upstream (what the client sends).</summary>
    ToUpstream,
    Both,
}

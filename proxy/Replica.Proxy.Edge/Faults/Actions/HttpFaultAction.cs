namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>An action on an HTTP request or a WebSocket handshake, applied before the request is forwarded.</summary>
public abstract record HttpFaultAction : FaultAction
{
    internal abstract ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context);
}

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// An action on an HTTP request or a WebSocket handshake, applied before the request is forwarded. One that answers
/// the request or drops the connection calls <see cref="HttpFaultContext.Injecting"/> first, so the fault is counted
/// before the client can see it.
/// </summary>
public abstract record HttpFaultAction : FaultAction
{
    internal abstract ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context);
}

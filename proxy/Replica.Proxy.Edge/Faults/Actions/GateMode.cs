namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>What a closed cold-start gate does with a request.</summary>
public enum GateMode
{
    /// <summary>Answer at once with the gate's status (503 by default) and a Retry-After.</summary>
    Reject,
    /// <summary>Hold the request and forward it when the upstream becomes ready (how Cloud Run treats a cold start).</summary>
    Hold,
}

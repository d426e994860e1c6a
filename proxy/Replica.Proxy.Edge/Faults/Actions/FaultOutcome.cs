namespace Replica.Proxy.Edge.Faults.Actions;

internal enum FaultOutcome
{
    /// <summary>Nothing was injected (e.g. a cold-start gate that is already open).</summary>
    NotInjected,
    /// <summary>Injected; the request goes on to the next rule and then upstream.</summary>
    Continue,
    /// <summary>Injected and the request is answered or dropped: it never reaches the upstream.</summary>
    Ended,
}

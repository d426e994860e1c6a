namespace Replica.Proxy.Edge.Metrics;

/// <summary>A snapshot of the proxy's counters.</summary>
/// <param name="FaultsByRule">Faults injected per rule id, including rules removed since.</param>
public sealed record EdgeProxyCounters(
    long Requests,
    long WebSocketRequests,
    long WebSocketsOpen,
    long WebSocketMessagesForwarded,
    long WebSocketMessagesDropped,
    long WebSocketMessagesInjected,
    long FaultsInjected,
    IReadOnlyDictionary<string, long> FaultsByRule,
    IReadOnlyDictionary<string, long> FaultsByKind);

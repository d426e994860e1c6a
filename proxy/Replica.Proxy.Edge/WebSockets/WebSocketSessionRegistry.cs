using System.Collections.Concurrent;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>The open WebSocket sessions: told when rules change, aborted when the proxy stops.</summary>
internal sealed class WebSocketSessionRegistry
{
    private readonly ConcurrentDictionary<WebSocketFaultSession, byte> _sessions = new();

    public int Count => _sessions.Count;

    public void Add(WebSocketFaultSession session) => _sessions.TryAdd(session, 0);

    public void Remove(WebSocketFaultSession session) => _sessions.TryRemove(session, out _);

    public void OnRulesChanged()
    {
        foreach (var session in _sessions.Keys)
        {
            session.PlanTimedTriggers();
        }
    }

    public void AbortAll()
    {
        foreach (var session in _sessions.Keys)
        {
            session.Abort();
        }
    }
}

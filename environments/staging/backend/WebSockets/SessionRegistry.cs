using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Replica.Staging.Backend.WebSockets;

/// <summary>The open WebSocket sessions, so shutdown can close each with 1001.</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, WebSocketSession> _sessions = new();

    public int Count => _sessions.Count;

    public void Add(WebSocketSession session) => _sessions[session.Id] = session;

    public void Remove(WebSocketSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>Sends every session a close frame; each session ends when its client answers (or the host's shutdown timeout).</summary>
    public Task CloseAllAsync(WebSocketCloseStatus status, string reason) =>
        Task.WhenAll(_sessions.Values.Select(s => s.CloseAsync(status, reason)));
}

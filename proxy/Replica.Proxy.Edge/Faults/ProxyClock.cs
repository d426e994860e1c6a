using System.Collections.Concurrent;

namespace Replica.Proxy.Edge.Faults;

/// <summary>The proxy's sense of time: its start, each route's last upstream restart, and its stopping signal.</summary>
internal sealed class ProxyClock(TimeProvider time, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<string, long> _restarts = new(StringComparer.Ordinal);

    public TimeProvider Time { get; } = time;

    public long StartedAt { get; } = time.GetTimestamp();

    public CancellationToken Stopping { get; } = stopping;

    public void MarkRestarted(string route) => _restarts[route] = Time.GetTimestamp();

    public long? LastRestart(string route) => _restarts.TryGetValue(route, out var at) ? at : null;
}

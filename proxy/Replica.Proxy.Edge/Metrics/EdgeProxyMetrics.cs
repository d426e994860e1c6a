using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Tcp.Metrics;

namespace Replica.Proxy.Edge.Metrics;

/// <summary>The proxy's counters, written as Prometheus text on the admin API's /metrics.</summary>
internal sealed class EdgeProxyMetrics(int seed)
{
    private readonly ConcurrentDictionary<(string Route, bool WebSocket), StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> _openWebSockets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Route, FrameDirection Direction, string Outcome), StrongBox<long>> _messages = new();
    private readonly ConcurrentDictionary<(string Rule, string Kind), StrongBox<long>> _faults = new();
    private readonly ConcurrentDictionary<string, LatencyHistogram> _upstreamLatency = new(StringComparer.Ordinal);

    public void Request(string route, bool webSocket) => Increment(_requests, (route, webSocket));

    public void WebSocketOpened(string route) => Increment(_openWebSockets, route);

    public void WebSocketClosed(string route) => Interlocked.Decrement(ref _openWebSockets.GetOrAdd(route, _ => new StrongBox<long>()).Value);

    /// <summary>Outcome is "forwarded", "dropped" or "injected".</summary>
    public void Message(string route, FrameDirection direction, string outcome) => Increment(_messages, (route, direction, outcome));

    public void Fault(string ruleId, string kind) => Increment(_faults, (ruleId, kind));

    public void UpstreamLatency(string route, TimeSpan elapsed) => _upstreamLatency.GetOrAdd(route, _ => new LatencyHistogram()).Observe(elapsed);

    public EdgeProxyCounters Snapshot()
    {
        long Sum<TKey>(ConcurrentDictionary<TKey, StrongBox<long>> d, Func<TKey, bool> where) where TKey : notnull
            => d.Where(p => where(p.Key)).Sum(p => Interlocked.Read(ref p.Value.Value));
        return new EdgeProxyCounters(
            Requests: Sum(_requests, _ => true),
            WebSocketRequests: Sum(_requests, k => k.WebSocket),
            WebSocketsOpen: Sum(_openWebSockets, _ => true),
            WebSocketMessagesForwarded: Sum(_messages, k => k.Outcome == "forwarded"),
            WebSocketMessagesDropped: Sum(_messages, k => k.Outcome == "dropped"),
            WebSocketMessagesInjected: Sum(_messages, k => k.Outcome == "injected"),
            FaultsInjected: Sum(_faults, _ => true),
            FaultsByRule: _faults.GroupBy(p => p.Key.Rule).ToDictionary(g => g.Key, g => g.Sum(p => Interlocked.Read(ref p.Value.Value)), StringComparer.Ordinal),
            FaultsByKind: _faults.GroupBy(p => p.Key.Kind).ToDictionary(g => g.Key, g => g.Sum(p => Interlocked.Read(ref p.Value.Value)), StringComparer.Ordinal));
    }

    public string ToPrometheusText(int rules)
    {
        var o = new StringBuilder();
        o.Append("# HELP replica_proxy_info Edge proxy build and seed.\n# TYPE replica_proxy_info gauge\n");
        o.Append(CultureInfo.InvariantCulture, $"replica_proxy_info{{seed=\"{seed}\"}} 1\n");
        o.Append("# HELP replica_proxy_rules Fault rules installed.\n# TYPE replica_proxy_rules gauge\n");
        o.Append(CultureInfo.InvariantCulture, $"replica_proxy_rules {rules}\n");
        o.Append("# HELP replica_proxy_requests_total Requests received, WebSocket handshakes included.\n# TYPE replica_proxy_requests_total counter\n");
        foreach (var ((route, ws), count) in _requests.OrderBy(p => p.Key.Route))
        {
            o.Append(CultureInfo.InvariantCulture, $"replica_proxy_requests_total{{route=\"{PrometheusLabel.Escape(route)}\",websocket=\"{(ws ? "true" : "false")}\"}} {Interlocked.Read(ref count.Value)}\n");
        }
        o.Append("# HELP replica_proxy_websockets_open WebSocket connections open through the proxy.\n# TYPE replica_proxy_websockets_open gauge\n");
        foreach (var (route, count) in _openWebSockets.OrderBy(p => p.Key))
        {
            o.Append(CultureInfo.InvariantCulture, $"replica_proxy_websockets_open{{route=\"{PrometheusLabel.Escape(route)}\"}} {Interlocked.Read(ref count.Value)}\n");
        }
        o.Append("# HELP replica_proxy_websocket_messages_total WebSocket data messages by direction and outcome.\n# TYPE replica_proxy_websocket_messages_total counter\n");
        foreach (var ((route, direction, outcome), count) in _messages.OrderBy(p => p.Key.Route))
        {
            var dir = direction == FrameDirection.ToClient ? "to_client" : "to_upstream";
            o.Append(CultureInfo.InvariantCulture, $"replica_proxy_websocket_messages_total{{route=\"{PrometheusLabel.Escape(route)}\",direction=\"{dir}\",outcome=\"{outcome}\"}} {Interlocked.Read(ref count.Value)}\n");
        }
        o.Append("# HELP replica_proxy_faults_injected_total Faults injected, by rule and kind.\n# TYPE replica_proxy_faults_injected_total counter\n");
        foreach (var ((rule, kind), count) in _faults.OrderBy(p => p.Key.Rule))
        {
            o.Append(CultureInfo.InvariantCulture, $"replica_proxy_faults_injected_total{{rule=\"{PrometheusLabel.Escape(rule)}\",kind=\"{kind}\"}} {Interlocked.Read(ref count.Value)}\n");
        }
        o.Append("# HELP replica_proxy_upstream_latency_seconds Time from forwarding a request to the upstream's response headers.\n# TYPE replica_proxy_upstream_latency_seconds histogram\n");
        foreach (var (route, histogram) in _upstreamLatency.OrderBy(p => p.Key))
        {
            histogram.Write(o, "replica_proxy_upstream_latency_seconds", $"route=\"{PrometheusLabel.Escape(route)}\"");
        }
        return o.ToString();
    }

    private static void Increment<TKey>(ConcurrentDictionary<TKey, StrongBox<long>> counters, TKey key) where TKey : notnull
        => Interlocked.Increment(ref counters.GetOrAdd(key, _ => new StrongBox<long>()).Value);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Replica.Proxy.Tcp.Metrics;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// Toxiproxy's two byte counters per (direction, proxy, listener, upstream), in Prometheus text format. Counted as
/// bytes flow rather than when a connection ends as Toxiproxy does, so long-lived connections show up too.
/// </summary>
internal sealed class TcpProxyMetrics
{
    private readonly ConcurrentDictionary<(string Direction, string Proxy, string Listener, string Upstream), TrafficCounter> counters = new();

    public TrafficCounter Counter(ToxicDirection direction, ProxyState at) =>
        counters.GetOrAdd((direction == ToxicDirection.Upstream ? "upstream" : "downstream", at.Name, at.Listen, at.Upstream), _ => new TrafficCounter());

    public void WriteProxyMetrics(StringBuilder text)
    {
        var rows = counters.OrderBy(c => c.Key.Direction, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Listener, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Proxy, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Upstream, StringComparer.Ordinal)
            .ToList();
        Write(text, "toxiproxy_proxy_received_bytes_total", "The total bytes received from the source", rows, c => Interlocked.Read(ref c.Received));
        Write(text, "toxiproxy_proxy_sent_bytes_total", "The total bytes sent to the destination", rows, c => Interlocked.Read(ref c.Sent));
    }

    /// <summary>Process figures in the Prometheus process collector's names (Toxiproxy's are Go's; no client reads them).</summary>
    public static void WriteRuntimeMetrics(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        Gauge(text, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds);
        Gauge(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", process.WorkingSet64);
        Gauge(text, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
            new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Gauge(text, "dotnet_gc_heap_size_bytes", "gauge", "Bytes in the managed heap.", GC.GetTotalMemory(false));
        Gauge(text, "dotnet_threadpool_threads", "gauge", "Thread pool threads.", ThreadPool.ThreadCount);
        text.Append("# HELP dotnet_build_info Runtime version.\n# TYPE dotnet_build_info gauge\n");
        text.Append("dotnet_build_info{version=\"").Append(Environment.Version).Append("\"} 1\n");
    }

    private static void Write(StringBuilder text, string name, string help, List<KeyValuePair<(string Direction, string Proxy, string Listener, string Upstream), TrafficCounter>> rows, Func<TrafficCounter, long> value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var (key, counter) in rows)
        {
            text.Append(name).Append("{direction=\"").Append(PrometheusLabel.Escape(key.Direction))
                .Append("\",listener=\"").Append(PrometheusLabel.Escape(key.Listener))
                .Append("\",proxy=\"").Append(PrometheusLabel.Escape(key.Proxy))
                .Append("\",upstream=\"").Append(PrometheusLabel.Escape(key.Upstream))
                .Append("\"} ").Append(value(counter)).Append('\n');
        }
    }

    private static void Gauge(StringBuilder text, string name, string type, string help, double value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
            .Append(name).Append(' ').Append(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
}

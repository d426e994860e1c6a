namespace Replica.Proxy.Tcp.Metrics;

/// <summary>Label values in Prometheus' text format, shared by the edge proxy's and the TCP proxy's /metrics.</summary>
public static class PrometheusLabel
{
    /// <summary>Escapes what the format requires inside a quoted label value: backslash, double quote and newline.</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}

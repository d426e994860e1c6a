using System.Globalization;
using System.Text;

namespace Replica.Proxy.Edge.Metrics;

/// <summary>A Prometheus histogram of seconds with fixed buckets; lock-free to observe.</summary>
internal sealed class LatencyHistogram
{
    private static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumMicros;

    public void Observe(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var i = 0;
        while (i < Bounds.Length && seconds > Bounds[i])
        {
            i++;
        }
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(elapsed.Ticks / 10));
    }

    public void Write(StringBuilder output, string name, string labels)
    {
        long cumulative = 0;
        for (var i = 0; i <= Bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            var le = i < Bounds.Length ? Bounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            output.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{le}\"}} {cumulative}\n");
        }
        output.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {Interlocked.Read(ref _sumMicros) / 1e6}\n");
        output.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {cumulative}\n");
    }
}

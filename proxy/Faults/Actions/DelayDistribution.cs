namespace Replica.Proxy.Faults.Actions;

/// <summary>
/// A delay in milliseconds: fixed (<see cref="MinMs"/> = <see cref="MaxMs"/>), uniform between min and max, or shaped
/// by percentiles. Percentiles are sampled from the piecewise-linear quantile function through
/// (0, min), (0.50, p50), (0.95, p95), (0.99, p99), (1, max).
/// </summary>
public sealed record DelayDistribution(double MinMs, double MaxMs, double? P50Ms = null, double? P95Ms = null, double? P99Ms = null)
{
    public static DelayDistribution Fixed(TimeSpan delay) => new(delay.TotalMilliseconds, delay.TotalMilliseconds);

    public static DelayDistribution Uniform(TimeSpan min, TimeSpan max) => new(min.TotalMilliseconds, max.TotalMilliseconds);

    /// <summary>Max defaults to p99 + (p99 - p95): the tail goes on beyond p99 about as steeply as it rose to it.</summary>
    public static DelayDistribution Percentiles(double p50Ms, double p95Ms, double p99Ms, double minMs = 0, double? maxMs = null)
        => new(minMs, maxMs ?? p99Ms + (p99Ms - p95Ms), p50Ms, p95Ms, p99Ms);

    public bool IsFixed => P50Ms is null && MinMs == MaxMs;

    public bool IsPercentiles => P50Ms is not null;

    /// <summary>The delay for a uniform random number <paramref name="u"/> in [0, 1).</summary>
    public TimeSpan Sample(double u)
    {
        if (IsFixed)
        {
            return TimeSpan.FromMilliseconds(MinMs);
        }
        if (!IsPercentiles)
        {
            return TimeSpan.FromMilliseconds(MinMs + (u * (MaxMs - MinMs)));
        }
        ReadOnlySpan<(double Q, double Ms)> points = [(0, MinMs), (0.50, P50Ms!.Value), (0.95, P95Ms!.Value), (0.99, P99Ms!.Value), (1, MaxMs)];
        for (var i = 1; i < points.Length; i++)
        {
            if (u <= points[i].Q)
            {
                var (q0, v0) = points[i - 1];
                var (q1, v1) = points[i];
                return TimeSpan.FromMilliseconds(v0 + ((u - q0) / (q1 - q0) * (v1 - v0)));
            }
        }
        return TimeSpan.FromMilliseconds(MaxMs);
    }
}

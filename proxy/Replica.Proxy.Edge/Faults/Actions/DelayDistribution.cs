using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

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
        => new(minMs, maxMs ?? Math.Min(FaultLimits.MaxMs, p99Ms + (p99Ms - p95Ms)), p50Ms, p95Ms, p99Ms);

    public bool IsFixed => P50Ms is null && MinMs == MaxMs;

    public bool IsPercentiles => P50Ms is not null;

    /// <summary>What is wrong with the values, each with its field as in the rule JSON.</summary>
    internal IEnumerable<RuleError> Validate()
    {
        if (IsFixed)
        {
            if (!InRange(MinMs))
            {
                yield return new RuleError("ms", FaultLimits.TimeRange);
            }
            yield break;
        }
        var values = new List<(string Field, double? Ms)> { ("minMs", MinMs), ("maxMs", MaxMs) };
        if (IsPercentiles)
        {
            values.AddRange([("p50Ms", P50Ms), ("p95Ms", P95Ms), ("p99Ms", P99Ms)]);
        }
        var outOfRange = values.Where(v => !InRange(v.Ms)).ToList();
        foreach (var (field, _) in outOfRange)
        {
            yield return new RuleError(field, FaultLimits.TimeRange);
        }
        if (outOfRange.Count > 0)
        {
            yield break;
        }
        if (IsPercentiles && (P95Ms is null || P99Ms is null || P50Ms > P95Ms || P95Ms > P99Ms))
        {
            yield return new RuleError("p95Ms", "percentiles must not decrease: p50Ms ≤ p95Ms ≤ p99Ms");
        }
        else if (IsPercentiles && (MinMs > P50Ms || MaxMs < P99Ms))
        {
            yield return new RuleError(MinMs > P50Ms ? "minMs" : "maxMs", "must satisfy minMs ≤ p50Ms and maxMs ≥ p99Ms");
        }
        else if (MinMs > MaxMs)
        {
            yield return new RuleError("maxMs", "must be ≥ minMs");
        }
    }

    private static bool InRange(double? ms) => ms is { } v && !double.IsNaN(v) && v >= 0 && v <= FaultLimits.MaxMs;

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

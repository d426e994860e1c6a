namespace Replica.Bench.EdgeProxy;

/// <summary>One wrk run: requests per second, latency percentiles, errors (socket errors plus non-2xx/3xx answers), requests completed.</summary>
internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests);

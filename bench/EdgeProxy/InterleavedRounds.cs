using System.Globalization;

namespace Replica.Bench.EdgeProxy;

/// <summary>
/// Runs wrk against every target in turn, round after round (A B C A B C …), so that the machine's load — other
/// builds on the same two cores — falls on all targets alike; reads each proxy's CPU time from /proc around its run.
/// Figures are medians over the rounds.
/// </summary>
internal static class InterleavedRounds
{
    public static async Task<IReadOnlyDictionary<string, List<RoundSample>>> RunAsync(
        IReadOnlyList<BenchTarget> targets, int rounds, int connections, TimeSpan duration, TextWriter output, CancellationToken cancellationToken)
    {
        var samples = targets.ToDictionary(t => t.Name, _ => new List<RoundSample>());
        foreach (var target in targets)
        {
            await Wrk.RunAsync(target.Url, connections, 2, TimeSpan.FromSeconds(3), cancellationToken); // JIT, pools, connections
        }
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var target in targets)
            {
                var before = target.Pid is { } pid ? ProcessCpu.OfTree(pid) : TimeSpan.Zero;
                var r = await Wrk.RunAsync(target.Url, connections, 2, duration, cancellationToken);
                double? cpu = target.Pid is { } p && r.Requests > 0 ? (ProcessCpu.OfTree(p) - before).TotalMicroseconds / r.Requests : null;
                samples[target.Name].Add(new RoundSample(r.RequestsPerSecond, r.P50Ms, r.P99Ms, cpu, r.Errors));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round} {target.Name,-34} {r.RequestsPerSecond,8:0} req/s  p50 {r.P50Ms,6:0.000} ms  p99 {r.P99Ms,7:0.000} ms  CPU {(cpu is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "–"),5} µs/req  errors {r.Errors}"));
            }
        }
        return samples;
    }

    public static double Median(this IEnumerable<RoundSample> samples, Func<RoundSample, double?> value) =>
        Percentiles.Median(samples.Select(value).OfType<double>());

    /// <summary>
    /// This target's figure divided by the reference's in the same round, round by round: both ran back to back, so
    /// the load that drifts over a run cancels out of each ratio (the ratio of medians can pair a quiet round of one
    /// target with a loaded round of the other).
    /// </summary>
    public static List<double> PairedRatios(IReadOnlyList<RoundSample> target, IReadOnlyList<RoundSample> reference, Func<RoundSample, double?> value) =>
        target.Zip(reference, (t, r) => value(t) is { } a && value(r) is { } b && b > 0 ? a / b : (double?)null).OfType<double>().ToList();

    public static double PairedMedian(IReadOnlyList<RoundSample> target, IReadOnlyList<RoundSample> reference, Func<RoundSample, double?> value) =>
        Percentiles.Median(PairedRatios(target, reference, value));

    public static string Range(this IEnumerable<RoundSample> samples, Func<RoundSample, double?> value, string format)
    {
        var values = samples.Select(value).OfType<double>().ToList();
        return values.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)}");
    }
}

/// <summary>One target's figures in one round; CPU is the proxy's (process and children) per completed request, null for none.</summary>
internal sealed record RoundSample(double RequestsPerSecond, double P50Ms, double P99Ms, double? CpuMicrosPerRequest, long Errors);

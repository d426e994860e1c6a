using Replica.Proxy.Edge.Faults.Actions;

namespace Replica.Proxy.Edge.Tests;

public sealed class DelayDistributionTests
{
    private static double[] Sample(DelayDistribution d, int n)
    {
        var random = new Random(5);
        return Enumerable.Range(0, n).Select(_ => d.Sample(random.NextDouble()).TotalMilliseconds).Order().ToArray();
    }

    [Fact]
    public void A_percentile_distribution_reproduces_its_percentiles()
    {
        var distribution = DelayDistribution.Percentiles(p50Ms: 130, p95Ms: 400, p99Ms: 900);
        var samples = Sample(distribution, 20_000);

        Assert.Equal(130, distribution.Sample(0.50).TotalMilliseconds, 6);
        Assert.Equal(400, distribution.Sample(0.95).TotalMilliseconds, 6);
        Assert.Equal(900, distribution.Sample(0.99).TotalMilliseconds, 6);
        // Drawn with a random source, the empirical percentiles land near the configured ones.
        Assert.InRange(samples[10_000], 120, 140);
        Assert.InRange(samples[19_000], 370, 430);
        Assert.InRange(samples[19_800], 800, 1000);
        Assert.True(samples[0] >= 0 && samples[^1] <= 1400);
    }

    [Fact]
    public void Fixed_and_uniform_delays_stay_in_range()
    {
        Assert.All(Sample(DelayDistribution.Fixed(TimeSpan.FromMilliseconds(250)), 100), s => Assert.Equal(250, s));
        var uniform = Sample(DelayDistribution.Uniform(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)), 10_000);
        Assert.True(uniform[0] >= 100 && uniform[^1] <= 300);
        Assert.InRange(uniform[5_000], 190, 210);
    }
}

using Replica.Chaos.Verification;

namespace Replica.Chaos.Tests;

public sealed class WilsonIntervalTests
{
    [Theory]
    // Reference values from the closed form (z = 1.96), as published tables give them.
    [InlineData(0, 20, 0.0, 0.1611)]
    [InlineData(20, 20, 0.8389, 1.0)]
    [InlineData(18, 20, 0.6990, 0.9721)]
    [InlineData(10, 20, 0.2993, 0.7007)]
    [InlineData(0, 5, 0.0, 0.4345)]
    [InlineData(1, 100, 0.0018, 0.0545)]
    public void Matches_the_closed_form(int successes, int trials, double low, double high)
    {
        var interval = WilsonInterval.Of(successes, trials);
        Assert.Equal(low, interval.Low, 3);
        Assert.Equal(high, interval.High, 3);
    }

    [Fact]
    public void No_trials_says_nothing()
    {
        Assert.Equal(new WilsonInterval(0, 1), WilsonInterval.Of(0, 0));
    }
}

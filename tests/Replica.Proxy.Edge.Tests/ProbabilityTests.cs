using System.Net;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

public sealed class ProbabilityTests
{
    private static async Task<bool[]> FaultSequenceAsync(int seed, int requests)
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { Seed = seed });
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(503), probability: 0.3, id: "flaky"));
        var faulted = new bool[requests];
        for (var i = 0; i < requests; i++)
        {
            using var response = await h.Http.GetAsync("/api/x");
            faulted[i] = response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }
        Assert.Equal(faulted.Count(f => f), h.Proxy.Counters.FaultsByRule.GetValueOrDefault("flaky"));
        Assert.Equal(faulted.Count(f => !f), h.Backend.HttpRequests);
        return faulted;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20261121)]
    public async Task Probability_0_3_faults_about_30_percent_of_1000_requests(int seed)
    {
        var faulted = await FaultSequenceAsync(seed, 1000);

        var rate = faulted.Count(f => f) / 1000.0;
        Assert.InRange(rate, 0.25, 0.35);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_fault_sequence_and_another_seed_another()
    {
        var first = await FaultSequenceAsync(42, 200);
        var again = await FaultSequenceAsync(42, 200);
        var other = await FaultSequenceAsync(43, 200);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task A_seed_is_chosen_and_reported_when_none_is_given()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { Seed = null });
        using var health = await h.AdminHttp.GetAsync("/health");

        Assert.Contains($"\"seed\":{h.Proxy.Seed}", await health.Content.ReadAsStringAsync());
    }
}

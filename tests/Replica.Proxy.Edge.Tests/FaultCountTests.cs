using Replica.Proxy.Edge.Client;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// A client that has seen a fault (an answer it did not ask for, a reset connection) and then asks the admin API finds
/// that fault counted, by its rule and by its kind: the proxy counts a fault before the client can see it. Each round
/// uses a new rule, so each count is a first one (a new entry in the metrics).
/// </summary>
public sealed class FaultCountTests
{
    private const int Rounds = 30;

    [Theory]
    [InlineData("""{"abort":{"status":503}}""", "abort")]
    [InlineData("""{"coldStart":{"readyAfterMs":600000,"mode":"reject"}}""", "coldStart")]
    [InlineData("""{"reset":{}}""", "reset")]
    public async Task A_fault_the_client_has_seen_is_already_counted_when_it_asks(string action, string kind)
    {
        await using var h = await ProxyHarness.StartAsync();
        using var admin = new EdgeProxyAdminClient(h.Proxy.AdminUrl!);

        for (var round = 1; round <= Rounds; round++)
        {
            var id = $"r{round}";
            await admin.AddJsonAsync($$"""{"id":"{{id}}","action":{{action}}}""");
            try
            {
                using var response = await h.Http.GetAsync("/api/x");
                Assert.NotEqual(System.Net.HttpStatusCode.OK, response.StatusCode);
            }
            catch (HttpRequestException) when (kind == "reset")
            {
                // The reset itself.
            }

            var counters = await admin.GetCountersAsync();
            var rule = (await admin.ListAsync()).Single(r => r.Rule.Id == id);
            Assert.True(counters.FaultsByKind.GetValueOrDefault(kind) == round, $"round {round}: {kind} counted {counters.FaultsByKind.GetValueOrDefault(kind)} times");
            Assert.Equal(1, rule.Injected);
            await admin.RemoveAsync(id);
        }
    }
}

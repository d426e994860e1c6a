using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Client;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>The typed client against a real server: what `replica toxic` relies on.</summary>
public sealed class ToxiproxyClientTests : ApiTestBase
{
    [Fact]
    public async Task Drives_proxies_and_toxics_through_the_api()
    {
        using var client = new ToxiproxyClient(Server.ApiUrl);

        var created = await client.CreateProxyAsync(new ProxyDefinition("redis", "127.0.0.1:0", Upstream.Address));
        var toxic = await client.AddToxicAsync("redis", new ToxicSpec("latency") { Stream = "upstream", Toxicity = 0.5f, Attributes = new Dictionary<string, object?> { ["latency"] = 100 } });
        var updated = await client.UpdateToxicAsync("redis", toxic.Name, new ToxicUpdate { Attributes = new Dictionary<string, object?> { ["jitter"] = 5 } });
        var disabled = await client.SetEnabledAsync("redis", false);
        var listed = await client.GetProxiesAsync();

        Assert.Equal("2.12.0", await client.GetVersionAsync());
        Assert.Equal(Server.Proxies.Get("redis").Listen, created.Listen);
        Assert.Equal("latency_upstream", toxic.Name);
        Assert.Equal(0.5f, toxic.Toxicity);
        Assert.Equal("latency=100 jitter=5", updated.DescribeAttributes());
        Assert.False(disabled.Enabled);
        Assert.Equal("latency_upstream", Assert.Single(Assert.Single(listed).Toxics).Name);

        await client.RemoveToxicAsync("redis", "latency_upstream");
        await client.ResetAsync();
        Assert.True((await client.GetProxyAsync("redis")).Enabled);
        Assert.Empty((await client.GetProxyAsync("redis")).Toxics);
        await client.DeleteProxyAsync("redis");
        Assert.Empty(await client.GetProxiesAsync());
    }

    [Fact]
    public async Task Reads_toxics_and_moves_a_proxy_as_toxiproxy_net_code_does()
    {
        using var client = new ToxiproxyClient(Server.ApiUrl);
        await client.CreateProxyAsync(new ProxyDefinition("redis", "127.0.0.1:0", Upstream.Address));
        await client.AddToxicAsync("redis", new ToxicSpec("latency") { Attributes = new Dictionary<string, object?> { ["latency"] = 100, ["jitter"] = 10 } });
        await client.AddToxicAsync("redis", new ToxicSpec("slow_close") { Name = "slow", Stream = "UpStream", Toxicity = 0.5f, Attributes = new Dictionary<string, object?> { ["delay"] = 50 } });
        await using var other = TcpTestServer.StartManual();

        var toxics = await client.GetToxicsAsync("redis");
        var latency = await client.GetToxicAsync("redis", "latency_downstream");
        var moved = await client.UpdateProxyAsync("redis", new ProxyUpdate { Listen = "localhost:0", Upstream = other.Address });
        using (await Sockets.ConnectAsync(moved.Listen))
        {
            (await other.AcceptAsync()).Dispose();
        }
        var stored = await client.UpdateProxyAsync("redis", new ProxyUpdate { Enabled = false, Listen = "localhost:55555" });
        var missing = await Assert.ThrowsAsync<ToxiproxyException>(() => client.GetToxicAsync("redis", "nope"));
        var unknown = Assert.Throws<KeyNotFoundException>(() => latency.GetInteger("rate"));

        Assert.Equal(["slow", "latency_downstream"], toxics.Select(t => t.Name));
        Assert.Equal(("UpStream", 0.5f, 50L), (toxics[0].Stream, toxics[0].Toxicity, toxics[0].GetInteger("delay")));
        Assert.Equal((100L, 10L), (latency.GetInteger("latency"), latency.GetInteger("Jitter")));
        Assert.Equal(other.Address, moved.Upstream);
        Assert.True(moved.Enabled);
        Assert.StartsWith("127.0.0.1:", moved.Listen);
        Assert.Equal((false, "localhost:55555", other.Address), (stored.Enabled, stored.Listen, stored.Upstream));
        Assert.Equal(2, stored.Toxics.Count);
        Assert.Equal((404, "toxic not found"), (missing.StatusCode, missing.Message));
        Assert.Contains("has no integer attribute rate; it has: latency=100 jitter=10", unknown.Message);
    }

    [Fact]
    public async Task Error_answers_become_exceptions_with_the_servers_status_and_message()
    {
        using var client = new ToxiproxyClient(Server.ApiUrl);

        var missing = await Assert.ThrowsAsync<ToxiproxyException>(() => client.GetProxyAsync("nope"));
        await client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));
        var invalid = await Assert.ThrowsAsync<ToxiproxyException>(() => client.AddToxicAsync("p", new ToxicSpec("down")));

        Assert.Equal((404, "proxy not found"), (missing.StatusCode, missing.Message));
        Assert.Equal((400, "invalid toxic type"), (invalid.StatusCode, invalid.Message));
    }

    [Fact]
    public async Task An_unreachable_api_says_where_it_looked_and_what_to_do()
    {
        using var client = new ToxiproxyClient(new Uri($"http://127.0.0.1:{ClosedPort()}/"));

        var error = await Assert.ThrowsAsync<ToxiproxyUnavailableException>(() => client.GetProxiesAsync());

        Assert.StartsWith("cannot reach the Toxiproxy API at http://127.0.0.1:", error.Message);
        Assert.NotNull(error.Hint);
    }

    [Theory]
    [InlineData("text/html", "<!DOCTYPE html>\n<html><body>It works!</body></html>", "not JSON: <!DOCTYPE html> <html><body>It works!</body></html>")]
    [InlineData("application/json", "{\"status\":\"ok\"}", "unexpected JSON: {\"status\":\"ok\"}")]
    [InlineData("application/json", "{\"name\":1,\"listen\":\"x\",\"upstream\":\"y\",\"enabled\":true}", "unexpected JSON: {\"name\":1,")]
    [InlineData("text/plain", "", "an empty body")]
    public async Task An_answer_that_is_not_toxiproxys_json_is_a_clear_error(string contentType, string body, string expected)
    {
        await using var other = await NotToxiproxyServer.StartAsync(contentType, body);
        using var client = new ToxiproxyClient(other.Url);

        var error = await Assert.ThrowsAsync<ToxiproxyUnavailableException>(() => client.GetProxyAsync("redis"));

        Assert.StartsWith($"the API at {other.Url} did not answer like Toxiproxy to GET /proxies/redis: {expected}", error.Message);
    }

    [Fact]
    public async Task Every_kind_of_answer_is_checked_not_just_proxies()
    {
        await using var other = await NotToxiproxyServer.StartAsync("text/html", "<html></html>");
        using var client = new ToxiproxyClient(other.Url);

        await Assert.ThrowsAsync<ToxiproxyUnavailableException>(() => client.GetVersionAsync());
        await Assert.ThrowsAsync<ToxiproxyUnavailableException>(() => client.GetProxiesAsync());
        await Assert.ThrowsAsync<ToxiproxyUnavailableException>(() => client.AddToxicAsync("p", new ToxicSpec("latency")));
        await client.ResetAsync(); // a reset reads nothing from the answer: any 2xx will do
    }

    private static int ClosedPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

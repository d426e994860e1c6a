using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Replica.Proxy.Edge;
using Replica.Proxy.Edge.Forwarding;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

public sealed class ForwardingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Auth_paths_go_to_auth_and_everything_else_to_backend()
    {
        await using var h = await ProxyHarness.StartAsync();

        var auth = await h.Http.GetFromJsonAsync<JsonElement>("/auth/health");
        var authRoot = await h.Http.GetFromJsonAsync<JsonElement>("/auth");
        var api = await h.Http.GetFromJsonAsync<JsonElement>("/api/health?x=1");
        var authLike = await h.Http.GetFromJsonAsync<JsonElement>("/authentic");

        Assert.Equal(("auth", "/auth/health"), (auth.GetProperty("upstream").GetString(), auth.GetProperty("path").GetString()));
        Assert.Equal("auth", authRoot.GetProperty("upstream").GetString());
        Assert.Equal(("backend", "/api/health"), (api.GetProperty("upstream").GetString(), api.GetProperty("path").GetString()));
        Assert.Equal("backend", authLike.GetProperty("upstream").GetString());
    }

    [Fact]
    public async Task WebSockets_are_forwarded_to_backend()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);

        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);
        await ws.SendAsync("""{"type":"ping"}""", cts.Token);

        Assert.Equal("""{"type":"ping"}""", await ws.ReceiveAsync(cts.Token));
        Assert.Single(h.Backend.ReceivedMessages);
        Assert.Equal(1, h.Proxy.OpenWebSockets);
    }

    [Fact]
    public async Task A_host_header_cannot_send_a_request_anywhere_but_the_configured_upstream()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/elsewhere");
        request.Headers.Host = "example.com";

        using var response = await h.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("backend", body.GetProperty("upstream").GetString());
        Assert.Equal(1, h.Backend.HttpRequests);
    }

    [Fact]
    public async Task Changing_an_upstream_moves_new_requests_and_keeps_other_routes_connections_open()
    {
        await using var h = await ProxyHarness.StartAsync();
        await using var replacement = await UpstreamServer.StartAsync("backend-2");
        using var cts = new CancellationTokenSource(Timeout);
        await using var authSocket = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/auth/ws", cts.Token);
        await using var backendSocket = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);

        Assert.True(h.Proxy.SetUpstream(StagingRoutes.Backend, replacement.Url));
        var after = await h.Http.GetFromJsonAsync<JsonElement>("/api/x");
        await authSocket.SendAsync("still here", cts.Token);
        await backendSocket.SendAsync("old backend", cts.Token);

        Assert.Equal("backend-2", after.GetProperty("upstream").GetString());
        Assert.Equal("still here", await authSocket.ReceiveAsync(cts.Token));
        Assert.Equal("old backend", await backendSocket.ReceiveAsync(cts.Token));
        Assert.False(h.Proxy.SetUpstream("nope", replacement.Url));
        Assert.Equal(replacement.Url, h.Proxy.Routes.Single(r => r.Name == "backend").Upstream);
    }

    [Fact]
    public async Task A_route_can_front_any_upstream_url_given_directly()
    {
        await using var upstream = await UpstreamServer.StartAsync("remote");
        await using var proxy = await Replica.Proxy.Edge.EdgeProxy.StartAsync(new EdgeProxyOptions
        {
            Routes = [new EdgeRoute("default", "/**", upstream.Url)],
            Admin = null,
            Seed = 7,
        });
        using var http = new HttpClient { BaseAddress = proxy.Url };

        var body = await http.GetFromJsonAsync<JsonElement>("/any/path");

        Assert.Equal("remote", body.GetProperty("upstream").GetString());
        Assert.Null(proxy.AdminUrl);
        Assert.Equal(7, proxy.Seed);
    }

    [Theory]
    [InlineData("0.0.0.0:0", null, "Admin: binding the admin API to 0.0.0.0:0 (not loopback) requires an admin token")]
    [InlineData("127.0.0.1", null, "Admin: '127.0.0.1' is not HOST:PORT")]
    [InlineData("127.0.0.1:99999", null, "Admin: port '99999' must be a number from 0 to 65535")]
    [InlineData("example.com:80", null, "Admin: host 'example.com' must be an IP address or localhost")]
    public async Task Bad_options_are_refused_with_the_field_named(string admin, string? token, string expected)
    {
        var options = new EdgeProxyOptions { Admin = admin, AdminToken = token, Routes = [new EdgeRoute("b", "/**", new Uri("http://127.0.0.1:1"))] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Replica.Proxy.Edge.EdgeProxy.StartAsync(options));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public async Task Routes_must_have_absolute_http_upstreams()
    {
        var options = new EdgeProxyOptions { Routes = [new EdgeRoute("b", "/**", new Uri("ftp://127.0.0.1/"))] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Replica.Proxy.Edge.EdgeProxy.StartAsync(options));

        Assert.Contains("must be an absolute http:// or https:// URL", error.Message);
    }

    [Fact]
    public async Task A_route_pattern_that_is_not_a_route_template_is_refused_naming_the_route()
    {
        var options = new EdgeProxyOptions { Routes = [new EdgeRoute("api", "/api/{id", new Uri("http://127.0.0.1:1/"))], Admin = null };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Replica.Proxy.Edge.EdgeProxy.StartAsync(options));

        Assert.StartsWith("Routes: route 'api': pattern '/api/{id' is not a route template (", error.Message);
    }

    [Fact]
    public void Yarp_is_copied_next_to_the_assemblies_that_use_the_proxy()
    {
        // Yarp.ReverseProxy is a plain Reference (see proxy/Replica.Proxy.Edge/Replica.Proxy.Edge.csproj): it must still reach dependents' output.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Yarp.ReverseProxy.dll")));
    }

    [Fact]
    public async Task Requests_through_the_proxy_keep_status_and_body_of_the_upstream()
    {
        await using var h = await ProxyHarness.StartAsync();

        using var response = await h.Http.GetAsync("/big?bytes=100000");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100000, bytes.Length);
    }

    [Fact]
    public async Task Rules_given_at_start_apply_to_the_first_request()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with
        {
            Rules = [Replica.Proxy.Edge.Faults.FaultRule.Create(new Replica.Proxy.Edge.Faults.Actions.AbortAction(503), id: "from-start")],
        });

        using var response = await h.Http.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("from-start", h.Proxy.Rules.List().Single().Rule.Id);
    }

    [Fact]
    public async Task Disposing_the_proxy_cuts_open_websockets_and_held_requests_promptly()
    {
        var h = await ProxyHarness.StartAsync();
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            h.Proxy.Rules.Add(Replica.Proxy.Edge.Faults.FaultRule.Create(
                new Replica.Proxy.Edge.Faults.Actions.ColdStartGateAction(TimeSpan.FromMinutes(10), Replica.Proxy.Edge.Faults.Actions.GateMode.Hold),
                new Replica.Proxy.Edge.Faults.Matching.RequestMatch(WebSocket: false)));
            await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);
            var held = h.Http.GetAsync("/api/x", cts.Token);
            await Eventually.WaitAsync(() => h.Proxy.Counters.Requests == 2, Timeout, "the held request to reach the proxy");
            var receive = ws.ReceiveAsync(cts.Token);

            var watch = System.Diagnostics.Stopwatch.StartNew();
            await h.Proxy.DisposeAsync();

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"dispose took {watch.Elapsed}");
            await Assert.ThrowsAnyAsync<Exception>(() => receive);
            // A held request is released when the proxy stops: forwarded or failed, never left hanging.
            await Task.WhenAny(held, Task.Delay(Timeout));
            Assert.True(held.IsCompleted);
        }
        finally
        {
            await h.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_port_in_use_fails_start_and_releases_what_was_started()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        int listenPort;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            listenPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var upstream = await UpstreamServer.StartAsync();
        var options = new EdgeProxyOptions { Routes = [new EdgeRoute("b", "/**", upstream.Url)], Listen = $"127.0.0.1:{listenPort}", Admin = $"127.0.0.1:{port}" };

        var error = await Assert.ThrowsAsync<ProxyListenException>(() => Replica.Proxy.Edge.EdgeProxy.StartAsync(options));
        Assert.Equal(("Admin", true), (error.Setting, error.AddressInUse));
        // The client listener had started before the admin port failed: it was released, so the same port binds again.
        await using var proxy = await Replica.Proxy.Edge.EdgeProxy.StartAsync(options with { Admin = "127.0.0.1:0" });
        Assert.Equal(listenPort, proxy.Url.Port);
    }
}

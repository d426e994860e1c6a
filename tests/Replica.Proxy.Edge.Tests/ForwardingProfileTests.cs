using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Proxy.Edge.Forwarding;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// What a client and an upstream see must not depend on the forwarding profile (tuned, tuned with inline I/O as
/// `replica proxy` runs it, or YARP's defaults that benchmarks compare it with): the request as the upstream receives it, which route a path goes to, the 404 when none
/// does, the route the fault rules see, the answer when the upstream is down.
/// </summary>
public sealed class ForwardingProfileTests
{
    public static TheoryData<ForwardingProfile, bool> Profiles => new()
    {
        { ForwardingProfile.Tuned, false },
        { ForwardingProfile.Tuned, true },
        { ForwardingProfile.YarpDefaults, false },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task The_upstream_receives_the_request_with_its_own_host_and_the_forwarded_headers_set(ForwardingProfile profile, bool inlineIo)
    {
        await using var upstream = await UpstreamServer.StartAsync("echo");
        await using var proxy = await StartAsync(profile, inlineIo, [new EdgeRoute("all", "/**", upstream.Url)]);
        using var http = new HttpClient { BaseAddress = proxy.Url };

        var received = await SendAsync(http);
        var headers = received.GetProperty("headers");

        Assert.Equal(("HTTP/1.1", "POST", "/api/items", "?x=1&y=%20z", "hello"), (
            received.GetProperty("protocol").GetString(), received.GetProperty("method").GetString(), received.GetProperty("path").GetString(),
            received.GetProperty("query").GetString(), received.GetProperty("body").GetString()));
        Assert.Equal(upstream.Url.Authority, headers.GetProperty("Host").GetString());
        // Set, not appended: a client cannot make the upstream believe it came from elsewhere.
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal("http", headers.GetProperty("X-Forwarded-Proto").GetString());
        Assert.Equal(proxy.Url.Authority, headers.GetProperty("X-Forwarded-Host").GetString());
        Assert.Equal("kept", headers.GetProperty("X-Custom").GetString());
        Assert.False(headers.TryGetProperty("X-Forwarded-Prefix", out _));
        Assert.False(headers.TryGetProperty("traceparent", out _));
    }

    [Fact]
    public async Task Every_profile_sends_the_upstream_the_same_headers()
    {
        await using var upstream = await UpstreamServer.StartAsync("echo");
        var seen = new List<Dictionary<string, string>>();
        foreach (var (profile, inlineIo) in new[] { (ForwardingProfile.Tuned, false), (ForwardingProfile.Tuned, true), (ForwardingProfile.YarpDefaults, false) })
        {
            await using var proxy = await StartAsync(profile, inlineIo, [new EdgeRoute("all", "/**", upstream.Url)]);
            using var http = new HttpClient { BaseAddress = proxy.Url };
            var headers = (await SendAsync(http)).GetProperty("headers").Deserialize<Dictionary<string, string>>()!;
            // The one expected difference: each proxy listens on its own port.
            headers["X-Forwarded-Host"] = headers["X-Forwarded-Host"].Replace(proxy.Url.Authority, "PROXY", StringComparison.Ordinal);
            seen.Add(headers);
        }

        Assert.All(seen.Skip(1), other => Assert.Equal(seen[0].OrderBy(h => h.Key, StringComparer.Ordinal), other.OrderBy(h => h.Key, StringComparer.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task The_first_route_that_matches_wins_and_no_match_is_an_empty_404(ForwardingProfile profile, bool inlineIo)
    {
        await using var api = await UpstreamServer.StartAsync("api");
        await using var special = await UpstreamServer.StartAsync("special");
        await using var assets = await UpstreamServer.StartAsync("assets");
        await using var proxy = await StartAsync(profile, inlineIo,
        [
            new EdgeRoute("api", "/api/{**rest}", api.Url),
            // More specific than the route above, but listed after it: never reached for /api/...
            new EdgeRoute("special", "/api/special", special.Url),
            new EdgeRoute("assets", "/assets/**", assets.Url),
        ]);
        using var http = new HttpClient { BaseAddress = proxy.Url };

        var first = await http.GetFromJsonAsync<JsonElement>("/api/special");
        var second = await http.GetFromJsonAsync<JsonElement>("/assets/app.js");
        using var none = await http.GetAsync("/elsewhere");

        Assert.Equal("api", first.GetProperty("upstream").GetString());
        Assert.Equal(("assets", "/assets/app.js"), (second.GetProperty("upstream").GetString(), second.GetProperty("path").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Empty(await none.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, proxy.Counters.Requests);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Rules_see_the_route_that_matched(ForwardingProfile profile, bool inlineIo)
    {
        await using var auth = await UpstreamServer.StartAsync("auth");
        await using var backend = await UpstreamServer.StartAsync("backend");
        await using var proxy = await StartAsync(profile, inlineIo, StagingRoutes.Create(auth.Url, backend.Url));
        proxy.Rules.Add(FaultRule.Create(new AbortAction(418), new RequestMatch(Route: StagingRoutes.Auth)));
        using var http = new HttpClient { BaseAddress = proxy.Url };

        using var toAuth = await http.GetAsync("/auth/token");
        var toBackend = await http.GetFromJsonAsync<JsonElement>("/auth-like");

        Assert.Equal((HttpStatusCode)418, toAuth.StatusCode);
        Assert.Equal("backend", toBackend.GetProperty("upstream").GetString());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task An_upstream_that_is_down_is_an_empty_502(ForwardingProfile profile, bool inlineIo)
    {
        await using var proxy = await StartAsync(profile, inlineIo, [new EdgeRoute("gone", "/**", new Uri($"http://127.0.0.1:{ClosedPort()}/"))]);
        using var http = new HttpClient { BaseAddress = proxy.Url };

        using var response = await http.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, proxy.Counters.Requests);
    }

    private static Task<EdgeProxy> StartAsync(ForwardingProfile profile, bool inlineIo, IReadOnlyList<EdgeRoute> routes) =>
        EdgeProxy.StartAsync(new EdgeProxyOptions { Routes = routes, Admin = null, Seed = 1, Forwarding = profile, InlineIo = inlineIo });

    private static async Task<JsonElement> SendAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/items?x=1&y=%20z") { Content = new StringContent("hello") };
        request.Headers.Add("X-Custom", "kept");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

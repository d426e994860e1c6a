using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Proxied;

/// <summary>
/// The environment as `replica up` runs it: every dependency connection crosses a TCP fault proxy, every client
/// request the edge proxy — checked through what the reference backend itself reports. One reference environment
/// for the class; every test leaves it without faults.
/// </summary>
[Collection(StagingCollection.Name)]
public sealed class WiredEnvironmentTests(StagingEnvironment fixture) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private Uri Edge => fixture.Environment.EdgeUrl!;

    public void Dispose()
    {
        fixture.Environment.ResetFaults();
        _http.Dispose();
    }

    [Fact]
    public void Every_dependency_has_its_own_proxy_and_the_backend_was_given_the_proxy_addresses()
    {
        var env = fixture.Environment;
        var proxies = env.Toxiproxy.Proxies.List().ToDictionary(p => p.Name);
        Assert.Equal(["backend_auth", "backend_postgres", "backend_redis"], proxies.Keys.Order());
        foreach (var dependency in env.Environment.Dependencies)
        {
            Assert.True(dependency.Proxied);
            var proxy = proxies[dependency.Name];
            Assert.Equal($"127.0.0.1:{proxy.ListenEndPoint!.Port}", dependency.Address);
            Assert.Equal(env[dependency.Dependency].Endpoints.Values.Single().ToString(), proxy.Upstream);
        }
    }

    [Fact]
    public async Task A_latency_toxic_on_backend_to_redis_shows_in_the_backends_redis_round_trips()
    {
        var before = await RedisRoundTripAsync();
        Assert.True(before < 300, $"redis round trip was already {before} ms");

        fixture.Environment.DependencyProxy("backend_redis").AddToxic(new ToxicSpec("latency")
        {
            Attributes = new Dictionary<string, object?> { ["latency"] = 300 },
        });

        Assert.True(await RedisRoundTripAsync() >= 300);
    }

    [Fact]
    public async Task Disabling_the_postgres_edge_makes_api_health_report_the_database_down_and_enabling_it_recovers()
    {
        var proxy = fixture.Environment.DependencyProxy("backend_postgres");
        proxy.Update(new Replica.Proxy.Tcp.Proxies.ProxyUpdate { Enabled = false });

        var (status, health) = await ApiHealthAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(health.GetProperty("checks").GetProperty("postgres").GetProperty("connected").GetBoolean());

        proxy.Update(new Replica.Proxy.Tcp.Proxies.ProxyUpdate { Enabled = true });
        await Eventually.WaitAsync(async () => (await ApiHealthAsync()).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "/api/health to recover");
    }

    [Fact]
    public async Task The_edge_routes_auth_and_backend_and_carries_websockets()
    {
        var auth = await _http.GetFromJsonAsync<JsonElement>(new Uri(Edge, "/auth/health"));
        Assert.Equal("healthy", auth.GetProperty("status").GetString());
        var backend = await _http.GetFromJsonAsync<JsonElement>(new Uri(Edge, "/health"));
        Assert.Equal("netra-backend", backend.GetProperty("service").GetString());

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {await TokenAsync()}");
        await socket.ConnectAsync(new Uri($"ws://{Edge.Authority}/ws"), CancellationToken.None);
        var welcome = await ReceiveAsync(socket);
        Assert.Equal("system_message", welcome.GetProperty("type").GetString());
        Assert.Equal("connection_established", welcome.GetProperty("data").GetProperty("event").GetString());
    }

    [Fact]
    public async Task An_edge_rule_faults_client_requests_without_touching_the_services()
    {
        var rule = FaultRuleParser.Parse("""{"id":"maint","match":{"path":"/api/**"},"action":{"abort":{"status":503,"body":{"detail":"maintenance"}}}}""");
        fixture.Environment.Edge!.Rules.Add(rule.Rules.Single());

        using var response = await _http.GetAsync(new Uri(Edge, "/api/health"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("maintenance", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        using var direct = await _http.GetAsync($"http://{fixture.Environment["backend"].Endpoint}/api/health");
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
    }

    private async Task<double> RedisRoundTripAsync()
    {
        var (_, health) = await ApiHealthAsync();
        return health.GetProperty("checks").GetProperty("redis").GetProperty("response_time_ms").GetDouble();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ApiHealthAsync()
    {
        using var response = await _http.GetAsync(new Uri(Edge, "/api/health"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<string> TokenAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Edge, "/auth/e2e/test-auth"))
        {
            Content = JsonContent.Create(new { email = "probe@example.com", name = "Probe", permissions = new[] { "read" } }),
        };
        request.Headers.Add("X-E2E-Bypass-Key", "replica-e2e-bypass-key");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        var result = await socket.ReceiveAsync(buffer, cts.Token);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
    }
}

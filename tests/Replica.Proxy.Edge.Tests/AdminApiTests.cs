using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Replica.Proxy.Edge.Client;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

public sealed class AdminApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Rules_can_be_added_listed_removed_and_cleared_over_http_and_take_effect_at_once()
    {
        await using var h = await ProxyHarness.StartAsync();

        using var added = await h.AdminHttp.PostAsync("/rules", Json("""{"id":"down","match":{"path":"/api/**"},"action":{"abort":{"status":503,"headers":{"Retry-After":"2"}}}}"""));
        using var addedAuto = await h.AdminHttp.PostAsync("/rules", Json("""{"action":{"delay":{"ms":1}}}"""));
        using var faulted = await h.Http.GetAsync("/api/x");
        var listed = await h.AdminHttp.GetFromJsonAsync<JsonElement>("/rules");
        using var removed = await h.AdminHttp.DeleteAsync("/rules/down");
        using var removedAgain = await h.AdminHttp.DeleteAsync("/rules/down");
        using var healed = await h.Http.GetAsync("/api/x");
        var cleared = await (await h.AdminHttp.DeleteAsync("/rules")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var autoId = (await addedAuto.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rules")[0].GetProperty("id").GetString();
        Assert.Equal("r1", autoId);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        var rules = listed.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(["down", "r1"], rules.Select(r => r.GetProperty("rule").GetProperty("id").GetString()));
        Assert.Equal(1, rules[0].GetProperty("injected").GetInt64());
        Assert.Equal(42, listed.GetProperty("seed").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
        Assert.Equal(1, cleared.GetProperty("removed").GetInt32());
        Assert.Equal(0, h.Proxy.Rules.Count);
    }

    [Theory]
    [InlineData("""{"action":{"explode":{}}}""", "action.explode")]
    [InlineData("""{"action":{"delay":{"ms":-1}}}""", "action.delay.ms")]
    [InlineData("""{"probability":1.01,"action":{"reset":{}}}""", "probability")]
    [InlineData("""{"match":{"path":"/a/{b}"},"action":{"reset":{}}}""", "match.path")]
    [InlineData("""[{"id":"good","action":{"reset":{}}},{"action":{"delay":{"ms":-1}}}]""", "[1].action.delay.ms")]
    [InlineData("""{"action":""", "")]
    [InlineData("""{"window":{"afterMs":1e300},"action":{"reset":{}}}""", "window.afterMs")]
    [InlineData("""{"action":{"delay":{"ms":5e9}}}""", "action.delay.ms")]
    [InlineData("""{"action":{"coldStart":{"readyAfterMs":5e9,"mode":"hold"}}}""", "action.coldStart.readyAfterMs")]
    [InlineData("""{"action":{"close":{"code":1000,"afterMs":5e9}}}""", "action.close.afterMs")]
    [InlineData("""{"action":{"abort":{"status":503,"headers":{"X-Why":"a\nb"}}}}""", "action.abort.headers.X-Why")]
    [InlineData("""{"action":{"abort":{"status":503,"headers":{"X Why":"b"}}}}""", "action.abort.headers.X Why")]
    public async Task Bad_rule_input_is_a_400_naming_the_field_and_nothing_is_applied(string body, string field)
    {
        await using var h = await ProxyHarness.StartAsync();

        using var response = await h.AdminHttp.PostAsync("/rules", Json(body));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(json.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(0, h.Proxy.Rules.Count);
        using var traffic = await h.Http.GetAsync("/api/x");
        Assert.Equal(HttpStatusCode.OK, traffic.StatusCode);
    }

    [Fact]
    public async Task A_taken_id_is_a_409_and_nothing_is_applied()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new ResetAction(), id: "x"));

        using var response = await h.AdminHttp.PostAsync("/rules", Json("""[{"id":"y","action":{"reset":{}}},{"id":"x","action":{"reset":{}}}]"""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("'x' already exists", await response.Content.ReadAsStringAsync());
        Assert.Equal(["x"], h.Proxy.Rules.List().Select(r => r.Rule.Id));
    }

    [Fact]
    public async Task With_a_token_every_admin_request_must_carry_it()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { AdminToken = "s3cret" });

        using var without = await h.AdminHttp.GetAsync("/rules");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/rules") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
        using var wrongResponse = await h.AdminHttp.SendAsync(wrong);
        using var client = new EdgeProxyAdminClient(h.Proxy.AdminUrl!, "s3cret");
        var listed = await client.ListAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Empty(listed);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_requests_frames_faults_and_upstream_latency()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(503), new RequestMatch(Path: PathGlob.Parse("/down")), id: "down"));
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.ToClient, FrameMatch.Field("type", "x")), id: "drop-x"));
        (await h.Http.GetAsync("/api/x")).Dispose();
        (await h.Http.GetAsync("/down")).Dispose();
        await using (var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token))
        {
            await ws.SendAsync("""{"type":"x"}""", cts.Token);
            await ws.SendAsync("""{"type":"y"}""", cts.Token);
            await ws.ReceiveAsync(cts.Token);
        }

        using var response = await h.AdminHttp.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("replica_proxy_info{seed=\"42\"} 1", text);
        Assert.Contains("replica_proxy_requests_total{route=\"backend\",websocket=\"false\"} 2", text);
        Assert.Contains("replica_proxy_requests_total{route=\"backend\",websocket=\"true\"} 1", text);
        Assert.Contains("replica_proxy_faults_injected_total{rule=\"down\",kind=\"abort\"} 1", text);
        Assert.Contains("replica_proxy_faults_injected_total{rule=\"drop-x\",kind=\"frameDrop\"} 1", text);
        Assert.Contains("replica_proxy_websocket_messages_total{route=\"backend\",direction=\"to_upstream\",outcome=\"forwarded\"} 2", text);
        Assert.Contains("replica_proxy_websocket_messages_total{route=\"backend\",direction=\"to_client\",outcome=\"dropped\"} 1", text);
        Assert.Contains("replica_proxy_upstream_latency_seconds_count{route=\"backend\"} 2", text);
        Assert.Contains("replica_proxy_upstream_latency_seconds_bucket{route=\"backend\",le=\"+Inf\"} 2", text);
    }

    [Fact]
    public async Task The_typed_client_does_what_the_http_api_does()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var client = new EdgeProxyAdminClient(h.Proxy.AdminUrl!);

        var rule = await client.AddAsync(FaultRule.Create(new AbortAction(418), new RequestMatch(Method: "DELETE")));
        var many = await client.AddJsonAsync("""[{"id":"a","action":{"delay":{"ms":5}}},{"id":"b","action":{"reset":{}},"match":{"path":"/never"}}]""");
        (await h.Http.DeleteAsync("/api/x")).Dispose();
        var listed = await client.ListAsync();
        var counters = await client.GetCountersAsync();
        var bad = await Assert.ThrowsAsync<EdgeProxyAdminException>(() => client.AddJsonAsync("""{"action":{"delay":{"ms":-1}}}"""));
        await client.MarkUpstreamRestartedAsync("backend");
        var missingRoute = await Assert.ThrowsAsync<EdgeProxyAdminException>(() => client.MarkUpstreamRestartedAsync("nope"));
        var removed = await client.RemoveAsync(rule.Id!);
        var removedAgain = await client.RemoveAsync(rule.Id!);
        var cleared = await client.ClearAsync();

        Assert.Equal(["a", "b"], many.Select(r => r.Id));
        Assert.Equal([rule.Id, "a", "b"], listed.Select(r => r.Rule.Id));
        Assert.Equal(1, listed[0].Injected);
        Assert.Equal(rule, listed[0].Rule);
        Assert.Equal(1, counters.FaultsByKind["abort"]);
        Assert.Equal(400, bad.Status);
        Assert.Equal("action.delay.ms", bad.Errors.Single().Field);
        Assert.Contains("must be ≥ 0", bad.Message);
        Assert.Equal(404, missingRoute.Status);
        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Equal(2, cleared);
        Assert.Contains("replica_proxy_rules 0", await client.GetMetricsAsync());
        var upstreams = await h.AdminHttp.GetFromJsonAsync<JsonElement>("/upstreams");
        Assert.Equal(["auth", "backend"], upstreams.GetProperty("upstreams").EnumerateArray().Select(u => u.GetProperty("route").GetString()));
    }

    [Fact]
    public async Task An_unreachable_admin_api_is_a_clear_error()
    {
        await using var h = await ProxyHarness.StartAsync();
        var url = h.Proxy.AdminUrl!;
        await h.Proxy.DisposeAsync();
        using var client = new EdgeProxyAdminClient(url);

        var error = await Assert.ThrowsAsync<EdgeProxyAdminException>(() => client.ListAsync());

        Assert.StartsWith($"cannot reach the edge proxy admin API at {url}", error.Message);
        Assert.Null(error.Status);
    }
}

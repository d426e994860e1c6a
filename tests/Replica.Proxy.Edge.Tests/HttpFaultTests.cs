using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

public sealed class HttpFaultTests
{
    [Fact]
    public async Task A_delay_holds_the_request_at_least_the_configured_time()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromMilliseconds(300))), id: "slow"));

        var watch = Stopwatch.StartNew();
        using var response = await h.Http.GetAsync("/api/x");
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        Assert.Contains(h.Log.Lines, l => l.Contains("fault delay rule=slow request=") && l.Contains("/api/x"));
    }

    [Fact]
    public async Task A_jittered_delay_stays_inside_its_range()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(DelayDistribution.Uniform(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)))));

        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await h.Http.GetAsync("/api/x");
            Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task An_abort_answers_with_its_status_body_and_headers_and_never_reaches_the_upstream()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(503, """{"detail":"maintenance"}""", [new("Retry-After", "5")]), id: "down"));

        using var response = await h.Http.GetAsync("/api/x");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("maintenance", body.GetProperty("detail").GetString());
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, h.Backend.HttpRequests);
        Assert.Equal(1, h.Proxy.Counters.FaultsByRule["down"]);
    }

    [Fact]
    public async Task An_abort_without_a_body_names_the_rule()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(500), id: "boom"));

        using var response = await h.Http.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("rule boom", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_reset_is_seen_by_the_client_as_a_connection_error()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new ResetAction(), new RequestMatch(Path: PathGlob.Parse("/api/**"))));

        await Assert.ThrowsAsync<HttpRequestException>(() => h.Http.GetAsync("/api/x"));
        using var unaffected = await h.Http.GetAsync("/other");

        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        Assert.Equal(1, h.Backend.HttpRequests);
    }

    [Fact]
    public async Task A_cold_start_gate_answers_503_until_ready_then_forwards()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        h.Proxy.Rules.Add(FaultRule.Create(new ColdStartGateAction(TimeSpan.FromMilliseconds(800)), new RequestMatch(Route: "backend")));

        using var first = await h.Http.GetAsync("/api/x");
        using var auth = await h.Http.GetAsync("/auth/health");
        clock.AdvanceMs(799);
        using var almost = await h.Http.GetAsync("/api/x");
        clock.AdvanceMs(1);
        using var ready = await h.Http.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("1", first.Headers.RetryAfter?.ToString());
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("upstream not ready (cold start)", firstBody.GetProperty("detail").GetString());
        Assert.Equal(800, firstBody.GetProperty("retryAfterMs").GetInt64());
        Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, almost.StatusCode);
        Assert.Equal(1, (await almost.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retryAfterMs").GetInt64());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(1, h.Backend.HttpRequests);
    }

    [Fact]
    public async Task A_holding_gate_releases_the_request_when_ready()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        h.Proxy.Rules.Add(FaultRule.Create(new ColdStartGateAction(TimeSpan.FromMilliseconds(700), GateMode.Hold), id: "cold"));

        var timers = clock.TimersCreated;
        var held = h.Http.GetAsync("/api/x");
        await clock.WaitForTimersAsync(timers + 1, "the request to wait at the gate");
        clock.AdvanceMs(699);
        var releasedEarly = held.IsCompleted;
        clock.AdvanceMs(1);
        using var response = await held;

        Assert.False(releasedEarly, "released before the upstream was ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, h.Backend.HttpRequests);
        Assert.Contains(h.Log.Lines, l => l.Contains("fault coldStart rule=cold") && l.Contains("held 700 ms"));
    }

    [Fact]
    public async Task Removing_a_holding_gate_releases_held_requests_at_once()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new ColdStartGateAction(TimeSpan.FromMinutes(5), GateMode.Hold), id: "long"));

        var watch = Stopwatch.StartNew();
        var held = h.Http.GetAsync("/api/x");
        await Eventually.WaitAsync(() => h.Proxy.Counters.Requests == 1, TimeSpan.FromSeconds(10), "the request to reach the proxy");
        Assert.False(held.IsCompleted);
        h.Proxy.Rules.Remove("long");
        using var response = await held;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_restart_of_the_upstream_closes_its_gate_again()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        h.Proxy.Rules.Add(FaultRule.Create(new ColdStartGateAction(TimeSpan.FromMilliseconds(500)), new RequestMatch(Route: "backend")));
        async Task<HttpStatusCode> Get()
        {
            using var r = await h.Http.GetAsync("/api/x");
            return r.StatusCode;
        }

        clock.AdvanceMs(500);
        var open = await Get();
        Assert.True(h.Proxy.MarkUpstreamRestarted("backend"));
        var afterRestart = await Get();
        clock.AdvanceMs(300);
        using var viaAdmin = await h.AdminHttp.PostAsync("/upstreams/backend/restarted", null);
        using var unknown = await h.AdminHttp.PostAsync("/upstreams/nope/restarted", null);
        clock.AdvanceMs(499);
        var beforeReady = await Get();
        clock.AdvanceMs(1);
        var ready = await Get();

        Assert.Equal(HttpStatusCode.OK, open);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, afterRestart);
        Assert.Equal(HttpStatusCode.NoContent, viaAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, beforeReady);
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.False(h.Proxy.MarkUpstreamRestarted("nope"));
    }

    [Fact]
    public async Task A_bandwidth_limit_paces_the_response_body()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new BandwidthAction(10_000)));

        var watch = Stopwatch.StartNew();
        using var response = await h.Http.GetAsync("/big?bytes=20000");
        var body = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();

        Assert.Equal(20_000, body.Length);
        // 20 000 bytes at 10 000 B/s: the last slice (1 000 bytes) may leave at 1.9 s.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Only_requests_matching_route_path_method_and_header_are_faulted()
    {
        await using var h = await ProxyHarness.StartAsync();
        var match = new RequestMatch(Route: "backend", Path: PathGlob.Parse("/api/**"), Method: "POST", Headers: [new HeaderMatch("X-Chaos", "on")]);
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(418), match));

        async Task<HttpStatusCode> Send(HttpMethod method, string path, bool header)
        {
            using var request = new HttpRequestMessage(method, path);
            if (header)
            {
                request.Headers.Add("X-Chaos", "on");
            }
            using var response = await h.Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal((HttpStatusCode)418, await Send(HttpMethod.Post, "/api/threads", header: true));
        Assert.Equal((HttpStatusCode)418, await Send(HttpMethod.Post, "/api", header: true));
        Assert.Equal(HttpStatusCode.OK, await Send(HttpMethod.Get, "/api/threads", header: true));
        Assert.Equal(HttpStatusCode.OK, await Send(HttpMethod.Post, "/api/threads", header: false));
        Assert.Equal(HttpStatusCode.OK, await Send(HttpMethod.Post, "/health", header: true));
        Assert.Equal(HttpStatusCode.OK, await Send(HttpMethod.Post, "/auth/api/x", header: true));
    }

    [Fact]
    public async Task A_window_turns_the_rule_on_after_its_start_and_off_after_its_length()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(418), window: new FaultWindow(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(700), ClockOrigin.Rule)));

        var seen = new List<(double AtMs, HttpStatusCode Status)>();
        var at = 0.0;
        foreach (var step in new[] { 0, 499, 1, 699, 1 })
        {
            if (step > 0)
            {
                clock.AdvanceMs(step);
            }
            at += step;
            using var r = await h.Http.GetAsync("/api/x");
            seen.Add((at, r.StatusCode));
        }

        Assert.Equal([(0, HttpStatusCode.OK), (499, HttpStatusCode.OK), (500, (HttpStatusCode)418), (1199, (HttpStatusCode)418), (1200, HttpStatusCode.OK)], seen);
    }

    [Fact]
    public async Task A_window_from_the_proxy_counts_from_the_proxy_start_not_the_rule()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        clock.AdvanceMs(1000);
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(418), window: new FaultWindow(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000), ClockOrigin.Proxy)));

        using var during = await h.Http.GetAsync("/api/x");
        clock.AdvanceMs(500);
        using var after = await h.Http.GetAsync("/api/x");

        Assert.Equal((HttpStatusCode)418, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_delay_on_the_fake_clock_holds_the_request_until_that_much_test_time_passed()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromSeconds(30))), id: "slow"));

        var timers = clock.TimersCreated;
        var held = h.Http.GetAsync("/api/x");
        await clock.WaitForTimersAsync(timers + 1, "the request to be held");
        clock.AdvanceMs(29_999);
        var releasedEarly = held.IsCompleted;
        clock.AdvanceMs(1);
        using var response = await held;

        Assert.False(releasedEarly, "released before 30 s of test time");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(h.Log.Lines, l => l.Contains("fault delay rule=slow") && l.Contains("30000 ms"));
    }

    [Fact]
    public async Task Rules_apply_in_the_order_added_until_one_answers()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromMilliseconds(200)))));
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(502)));
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(504)));

        var watch = Stopwatch.StartNew();
        using var response = await h.Http.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(200));
        Assert.Equal(2, h.Proxy.Counters.FaultsInjected);
    }

    [Fact]
    public async Task A_client_that_gives_up_during_a_delay_leaves_the_proxy_serving()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromSeconds(30))), new RequestMatch(Path: PathGlob.Parse("/slow"))));
        using var impatient = new HttpClient { BaseAddress = h.Proxy.Url, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.GetAsync("/slow"));
        using var next = await h.Http.GetAsync("/fast");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, h.Backend.HttpRequests);
    }

    [Fact]
    public async Task Stopping_the_proxy_answers_delayed_and_held_requests_503_at_once_without_forwarding_them()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromMinutes(10))), new RequestMatch(Path: PathGlob.Parse("/api/**"))));
        h.Proxy.Rules.Add(FaultRule.Create(new ColdStartGateAction(TimeSpan.FromMinutes(10), GateMode.Hold), new RequestMatch(Route: "auth")));
        var delayed = h.Http.GetAsync("/api/x");
        var held = h.Http.GetAsync("/auth/login");
        await Eventually.WaitAsync(() => h.Proxy.Counters.Requests == 2, TimeSpan.FromSeconds(10), "both requests to reach the proxy");

        var watch = Stopwatch.StartNew();
        await h.Proxy.DisposeAsync();
        watch.Stop();
        using var delayedResponse = await delayed;
        using var heldResponse = await held;

        // The stop timeout is 5 s: a request the stop did not release would make dispose wait it out.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, delayedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, heldResponse.StatusCode);
        Assert.Equal(0, h.Backend.HttpRequests);
        Assert.Equal(0, h.Auth.HttpRequests);
    }
}

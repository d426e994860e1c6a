using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

public sealed class WebSocketFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly RequestMatch AgentSocket = new(Path: PathGlob.Parse("/ws/agent"), WebSocket: true);

    private static async Task<List<string>> ReceiveTypesAsync(WebSocketTestClient ws, int count, CancellationToken cancellationToken)
    {
        var types = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var text = await ws.ReceiveAsync(cancellationToken) ?? throw new InvalidOperationException($"closed after {types.Count} messages");
            types.Add(JsonDocument.Parse(text).RootElement.GetProperty("type").GetString()!);
        }
        return types;
    }

    [Fact]
    public async Task A_matching_frame_is_dropped_and_the_others_arrive_in_order()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.ToClient, FrameMatch.Field("type", "agent_completed")), AgentSocket, id: "lose-completion"));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/agent", cts.Token);

        await ws.SendAsync("""{"type":"start_agent","payload":{"user_request":"hi"}}""", cts.Token);
        var types = await ReceiveTypesAsync(ws, 4, cts.Token);
        // The connection stays usable after the drop: the next message is delivered.
        await ws.SendAsync("""{"type":"ping"}""", cts.Token);
        var next = await ReceiveTypesAsync(ws, 1, cts.Token);

        Assert.Equal(["agent_started", "agent_thinking", "tool_executing", "tool_completed"], types);
        Assert.Equal(["ping"], next);
        Assert.Equal(1, h.Proxy.Counters.WebSocketMessagesDropped);
        Assert.Contains(h.Log.Lines, l => l.Contains("fault frameDrop rule=lose-completion websocket=ws-") && l.Contains("agent_completed"));
    }

    [Fact]
    public async Task A_frame_dropped_toward_the_upstream_never_reaches_it()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.ToUpstream, FrameMatch.Field("type", "secret"))));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);

        await ws.SendAsync("""{"type":"secret"}""", cts.Token);
        await ws.SendAsync("""{"type":"public"}""", cts.Token);

        Assert.Equal("""{"type":"public"}""", await ws.ReceiveAsync(cts.Token));
        Assert.Equal(["""{"type":"public"}"""], h.Backend.ReceivedMessages);
    }

    [Fact]
    public async Task An_injected_frame_arrives()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(
            new FrameInjectAction(FrameDirection.ToClient, FrameTrigger.When(FrameMatch.Field("type", "agent_started")), """{"type":"agent_error","payload":{"error_message":"injected"}}"""),
            AgentSocket));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/agent", cts.Token);

        await ws.SendAsync("""{"type":"start_agent"}""", cts.Token);
        var types = await ReceiveTypesAsync(ws, 6, cts.Token);

        // Injected right after the frame that triggered it, once per connection.
        Assert.Equal(["agent_started", "agent_error", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"], types);
        Assert.Equal(1, h.Proxy.Counters.WebSocketMessagesInjected);
    }

    [Fact]
    public async Task A_frame_injected_toward_the_upstream_arrives_there_masked_and_valid()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new FrameInjectAction(FrameDirection.ToUpstream, FrameTrigger.AfterTime(TimeSpan.Zero), """{"type":"from_proxy"}""")));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);

        // The client says nothing: the upstream gets the injected message anyway and echoes it.
        Assert.Equal("""{"type":"from_proxy"}""", await ws.ReceiveAsync(cts.Token));
        Assert.Equal(["""{"type":"from_proxy"}"""], h.Backend.ReceivedMessages);
    }

    [Fact]
    public async Task Close_1011_with_its_reason_reaches_the_client_and_the_upstream_is_closed_too()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new CloseAction(1011, "Service not ready: redis", FrameDirection.ToUpstream, FrameTrigger.AfterFrameCount(1)), id: "r2"));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);

        await ws.SendAsync("""{"type":"user_message","content":"hello"}""", cts.Token);
        var message = await ws.ReceiveAsync(cts.Token);
        await ws.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", cts.Token);

        Assert.Null(message);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, ws.Socket.CloseStatus);
        Assert.Equal("Service not ready: redis", ws.Socket.CloseStatusDescription);
        await Eventually.WaitAsync(() => !h.Backend.ReceivedCloses.IsEmpty, Timeout, "the upstream to see the close");
        Assert.Equal(WebSocketCloseStatus.InternalServerError, h.Backend.ReceivedCloses.Single());
        await Eventually.WaitAsync(() => h.Proxy.OpenWebSockets == 0, Timeout, "the proxy to end the connection");
        Assert.Contains(h.Log.Lines, l => l.Contains("fault close rule=r2") && l.Contains("1011"));
    }

    [Fact]
    public async Task Close_when_a_frame_matches_comes_right_after_that_frame()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(
            new CloseAction(1011, "Internal error", FrameDirection.ToClient, FrameTrigger.When(FrameMatch.Field("type", "tool_executing"))), AgentSocket));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/agent", cts.Token);

        await ws.SendAsync("""{"type":"start_agent"}""", cts.Token);
        var types = await ReceiveTypesAsync(ws, 3, cts.Token);
        var next = await ws.ReceiveAsync(cts.Token);

        Assert.Equal(["agent_started", "agent_thinking", "tool_executing"], types);
        Assert.Null(next);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, ws.Socket.CloseStatus);
    }

    [Fact]
    public async Task Close_after_a_time_comes_no_earlier_than_that_time()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new CloseAction(1001, "going away", FrameDirection.Both, FrameTrigger.AfterTime(TimeSpan.FromMilliseconds(400)))));
        var timers = clock.TimersCreated;
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);
        await clock.WaitForTimersAsync(timers + 1, "the connection to plan its time trigger");

        clock.AdvanceMs(399);
        await ws.SendAsync("""{"type":"still-open"}""", cts.Token);
        var echo = await ws.ReceiveAsync(cts.Token);
        clock.AdvanceMs(1);
        var afterDue = await ws.ReceiveAsync(cts.Token);

        Assert.Equal("""{"type":"still-open"}""", echo);
        Assert.Null(afterDue);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, ws.Socket.CloseStatus);
    }

    [Fact]
    public async Task A_time_trigger_counts_from_the_rule_when_the_connection_is_older()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        using var cts = new CancellationTokenSource(Timeout);
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);
        await Eventually.WaitAsync(() => h.Proxy.OpenWebSockets == 1, Timeout, "the connection to open");
        clock.AdvanceMs(10_000);

        var timers = clock.TimersCreated;
        h.Proxy.Rules.Add(FaultRule.Create(new FrameInjectAction(FrameDirection.ToClient, FrameTrigger.AfterTime(TimeSpan.FromMilliseconds(300)), """{"type":"late"}""")));
        await clock.WaitForTimersAsync(timers + 1, "the open connection to plan the new rule's trigger");
        clock.AdvanceMs(299);
        await ws.SendAsync("""{"type":"echo"}""", cts.Token);
        var first = await ws.ReceiveAsync(cts.Token);
        clock.AdvanceMs(1);
        var injected = await ws.ReceiveAsync(cts.Token);

        Assert.Equal("""{"type":"echo"}""", first);
        Assert.Equal("""{"type":"late"}""", injected);
    }

    [Fact]
    public async Task A_proxy_initiated_close_ends_the_connection_without_the_clients_help()
    {
        var clock = new FakeClock();
        await using var h = await ProxyHarness.StartAsync(o => o with { TimeProvider = clock });
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new CloseAction(1011, "Internal error", FrameDirection.ToClient, FrameTrigger.AfterTime(TimeSpan.Zero))));
        var timers = clock.TimersCreated;
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);

        Assert.Null(await ws.ReceiveAsync(cts.Token));
        // The client never calls CloseAsync: the proxy and the upstream end the connection between them, at the
        // latest when the proxy stops waiting for the close reply (5 s of its time, moved here at once).
        await clock.WaitForTimersAsync(timers + 2, "the proxy to wait for the close reply");
        clock.AdvanceMs(5_000);
        await Eventually.WaitAsync(() => h.Proxy.OpenWebSockets == 0, Timeout, "the proxy to give up on the close reply");
    }

    [Fact]
    public async Task A_delayed_frame_arrives_at_least_the_delay_later()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDelayAction(FrameDirection.ToClient, DelayDistribution.Fixed(TimeSpan.FromMilliseconds(400)), FrameMatch.Field("type", "slow"))));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);

        var slow = Stopwatch.StartNew();
        await ws.SendAsync("""{"type":"slow"}""", cts.Token);
        var slowEcho = await ws.ReceiveAsync(cts.Token);
        slow.Stop();
        await ws.SendAsync("""{"type":"fast"}""", cts.Token);
        var fastEcho = await ws.ReceiveAsync(cts.Token);

        Assert.Equal("""{"type":"slow"}""", slowEcho);
        Assert.Equal("""{"type":"fast"}""", fastEcho);
        Assert.InRange(slow.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_handshake_can_be_delayed()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new DelayAction(DelayDistribution.Fixed(TimeSpan.FromMilliseconds(400))), new RequestMatch(WebSocket: true)));

        var watch = Stopwatch.StartNew();
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);
        watch.Stop();
        using var plain = await h.Http.GetAsync("/api/x");

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(20));
        Assert.Equal(WebSocketState.Open, ws.Socket.State);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task The_handshake_can_be_rejected_with_a_status()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new AbortAction(403, """{"detail":"Not authenticated"}"""), new RequestMatch(WebSocket: true)));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new UriBuilder(h.Proxy.Url) { Scheme = "ws", Path = "/ws/echo" }.Uri, cts.Token));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Empty(h.Backend.HandshakeHeaders);
    }

    [Fact]
    public async Task Rules_added_and_removed_while_100_websockets_are_open_leave_unmatched_ones_intact()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sockets = new List<WebSocketTestClient>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                sockets.Add(await WebSocketTestClient.ConnectAsync(h.Proxy.Url, $"/ws/echo/{i}", cts.Token));
            }
            await using var victim = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/victim", cts.Token);
            var victimOnly = new RequestMatch(Path: PathGlob.Parse("/ws/victim"));

            // Churn rules that match only the victim while every socket keeps talking.
            var traffic = sockets.Select(async (ws, i) =>
            {
                for (var round = 0; round < 5; round++)
                {
                    var text = $$"""{"type":"round","socket":{{i}},"round":{{round}}}""";
                    await ws.SendAsync(text, cts.Token);
                    Assert.Equal(text, await ws.ReceiveAsync(cts.Token));
                }
            }).ToList();
            for (var churn = 0; churn < 50; churn++)
            {
                var drop = h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.Both, FrameMatch.All), victimOnly));
                var close = h.Proxy.Rules.Add(FaultRule.Create(new CloseAction(1011, "x", FrameDirection.Both, FrameTrigger.AfterTime(TimeSpan.FromMinutes(10))), victimOnly));
                h.Proxy.Rules.Add(FaultRule.Create(new FrameDelayAction(FrameDirection.ToClient, DelayDistribution.Fixed(TimeSpan.FromMilliseconds(1)), FrameMatch.Field("type", "never")), new RequestMatch(WebSocket: true)));
                h.Proxy.Rules.Remove(drop.Id!);
                h.Proxy.Rules.Remove(close.Id!);
                if (churn % 10 == 9)
                {
                    h.Proxy.Rules.Clear();
                }
                await Task.Yield();
            }
            await Task.WhenAll(traffic);

            // A rule that matches the victim still acts on its open connection.
            h.Proxy.Rules.Add(FaultRule.Create(new CloseAction(1011, "victim only", FrameDirection.ToUpstream, FrameTrigger.AfterFrameCount(1)), victimOnly));
            await victim.SendAsync("hello", cts.Token);
            Assert.Null(await victim.ReceiveAsync(cts.Token));
            Assert.Equal("victim only", victim.Socket.CloseStatusDescription);

            foreach (var (ws, i) in sockets.Select((ws, i) => (ws, i)))
            {
                Assert.Equal(WebSocketState.Open, ws.Socket.State);
                await ws.SendAsync($"final {i}", cts.Token);
                Assert.Equal($"final {i}", await ws.ReceiveAsync(cts.Token));
            }
            Assert.Equal(0, h.Proxy.Counters.WebSocketMessagesDropped);
        }
        finally
        {
            foreach (var ws in sockets)
            {
                await ws.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Permessage_deflate_is_removed_from_the_handshake_by_default()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.ToClient, FrameMatch.Field("type", "drop"))));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token,
            o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());

        await ws.SendAsync("""{"type":"drop"}""", cts.Token);
        await ws.SendAsync("""{"type":"keep"}""", cts.Token);

        Assert.Equal("""{"type":"keep"}""", await ws.ReceiveAsync(cts.Token));
        Assert.False(h.Backend.HandshakeHeaders.Single().ContainsKey("Sec-WebSocket-Extensions"));
        Assert.False(ws.Socket.HttpResponseHeaders?.ContainsKey("Sec-WebSocket-Extensions") ?? false);
    }

    [Fact]
    public async Task With_compression_allowed_messages_flow_compressed_and_are_never_dropped()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { AllowWebSocketCompression = true });
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.ToClient, FrameMatch.All)));
        h.Proxy.Rules.Add(FaultRule.Create(new FrameInjectAction(FrameDirection.ToClient, FrameTrigger.AfterFrameCount(1), """{"type":"injected"}""")));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token,
            o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());

        await ws.SendAsync("""{"type":"one"}""", cts.Token);
        var first = await ws.ReceiveAsync(cts.Token);
        var injected = await ws.ReceiveAsync(cts.Token);
        await ws.SendAsync("""{"type":"two"}""", cts.Token);
        var second = await ws.ReceiveAsync(cts.Token);

        Assert.True(h.Backend.HandshakeHeaders.Single().ContainsKey("Sec-WebSocket-Extensions"));
        Assert.Equal(("""{"type":"one"}""", """{"type":"injected"}""", """{"type":"two"}"""), (first, injected, second));
        Assert.Equal(0, h.Proxy.Counters.WebSocketMessagesDropped);
    }

    [Fact]
    public async Task The_idle_timeout_is_the_proxys_setting_not_yarps_default()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { IdleTimeout = TimeSpan.FromMilliseconds(800) });
        using var cts = new CancellationTokenSource(Timeout);
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token,
            o => o.KeepAliveInterval = TimeSpan.Zero);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<WebSocketException>(() => ws.ReceiveAsync(cts.Token));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Large_and_fragmented_messages_pass_through_intact_with_and_without_inspection()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);
        var big = new string('x', 200_000);

        async Task RoundTrip()
        {
            // Three fragments, one message.
            var bytes = System.Text.Encoding.UTF8.GetBytes(big);
            await ws.Socket.SendAsync(bytes.AsMemory(0, 1000), WebSocketMessageType.Text, false, cts.Token);
            await ws.Socket.SendAsync(bytes.AsMemory(1000, 100_000), WebSocketMessageType.Text, false, cts.Token);
            await ws.Socket.SendAsync(bytes.AsMemory(101_000), WebSocketMessageType.Text, true, cts.Token);
            Assert.Equal(big, await ws.ReceiveAsync(cts.Token));
        }

        await RoundTrip();
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.Both, FrameMatch.Field("type", "never"))));
        await RoundTrip();
    }

    [Fact]
    public async Task Inspected_masked_fragmented_messages_over_a_megabyte_are_matched_on_their_unmasked_json()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.Both, FrameMatch.Field("type", "drop"))));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);
        var pad = new string('x', 1_500_000);

        async Task SendInThreeFragments(string text)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            await ws.Socket.SendAsync(bytes.AsMemory(0, 10), WebSocketMessageType.Text, false, cts.Token);
            await ws.Socket.SendAsync(bytes.AsMemory(10, 700_000), WebSocketMessageType.Text, false, cts.Token);
            await ws.Socket.SendAsync(bytes.AsMemory(700_010), WebSocketMessageType.Text, true, cts.Token);
        }

        // Client frames are masked: matching "type" needs the unmasked payload of all three fragments.
        await SendInThreeFragments($$"""{"type":"drop","pad":"{{pad}}"}""");
        var big = $$"""{"type":"keep","pad":"{{pad}}"}""";
        await SendInThreeFragments(big);
        await ws.SendAsync("""{"type":"after"}""", cts.Token);

        Assert.Equal(big, await ws.ReceiveAsync(cts.Token));
        Assert.Equal("""{"type":"after"}""", await ws.ReceiveAsync(cts.Token));
        Assert.Equal(1, h.Proxy.Counters.WebSocketMessagesDropped);
    }
}

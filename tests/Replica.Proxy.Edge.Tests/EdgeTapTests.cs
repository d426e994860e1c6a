using System.Collections.Concurrent;
using System.Text.Json;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>The edge's tap: what a listener is told about real requests and WebSocket traffic, and that it stops being told.</summary>
public sealed class EdgeTapTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_listener_sees_the_handshake_each_frame_with_its_type_and_text_the_close_and_plain_requests()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var entries = new ConcurrentQueue<EdgeTap.Entry>();
        Assert.False(h.Proxy.Tap.Active);
        using (h.Proxy.Tap.Subscribe(entries.Enqueue))
        {
            Assert.True(h.Proxy.Tap.Active);
            await using (var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/agent", cts.Token))
            {
                await ws.SendAsync("""{"type":"start_agent","payload":{"user_request":"<b>hi</b>"}}""", cts.Token);
                for (var i = 0; i < 5; i++)
                {
                    await ws.ReceiveAsync(cts.Token);
                }
            }
            using var http = new HttpClient();
            await http.GetAsync(h.Proxy.Url, cts.Token);
            await Eventually.WaitAsync(() => entries.Any(e => e.Kind == "closed") && entries.Any(e => e.Kind == "request"), Timeout, "the connection's end and the plain request");
        }

        var list = entries.ToList();
        var handshake = Assert.Single(list, e => e.Kind == "websocket");
        Assert.Equal((101, "/ws/agent"), (handshake.Status, handshake.Path));
        var sent = Assert.Single(list, e => e.Kind == "frame" && e.Direction == "to-upstream" && e.Type == "start_agent");
        Assert.Contains("<b>hi</b>", sent.Text); // the text as it was: escaping is for whoever shows it
        Assert.Equal(["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"],
            list.Where(e => e.Kind == "frame" && e.Direction == "to-client").Select(e => e.Type));
        var close = Assert.Single(list, e => e.Kind == "close" && e.Direction == "to-upstream");
        Assert.Equal((1000, "done"), (close.Status, close.Text));
        Assert.Contains(list, e => e.Kind == "request" && e.Method == "GET" && e.Status is not null);
        Assert.All(list.Where(e => e.Connection is not null), e => Assert.Equal(sent.Connection, e.Connection));
    }

    [Fact]
    public async Task A_close_by_a_rule_is_told_with_its_code_and_the_fault_and_nothing_is_told_once_the_listener_left()
    {
        await using var h = await ProxyHarness.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var entries = new ConcurrentQueue<EdgeTap.Entry>();
        h.Proxy.Rules.Add(FaultRule.Create(new CloseAction(1011, "Service not ready: redis", FrameDirection.ToUpstream, FrameTrigger.AfterFrameCount(1)), id: "close-1011"));
        var subscription = h.Proxy.Tap.Subscribe(entries.Enqueue);
        await using (var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token))
        {
            await ws.SendAsync("""{"type":"hello"}""", cts.Token);
            await Eventually.WaitAsync(() => entries.Any(e => e.Kind == "close" && e.Status == 1011), Timeout, "the proxy's close");
        }
        var close = entries.First(e => e.Kind == "close" && e.Status == 1011);
        Assert.Equal(("to-client", "Service not ready: redis", "closed by the proxy"), (close.Direction, close.Text, close.Fault));
        Assert.Contains(entries, e => e.Kind == "fault" && e.Fault == "close-1011");

        subscription.Dispose();
        Assert.False(h.Proxy.Tap.Active);
        var before = entries.Count;
        using var http = new HttpClient();
        await http.GetAsync(h.Proxy.Url, cts.Token);
        Assert.Equal(before, entries.Count);
    }
}

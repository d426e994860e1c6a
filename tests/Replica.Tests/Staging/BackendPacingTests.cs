using System.Globalization;
using System.Net.WebSockets;
using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Tests.Staging;

/// <summary>The heartbeat and agent pacing follow their settings; shutdown closes sockets with 1001.</summary>
public sealed class BackendPacingTests : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private RunningEnvironment? _environment;

    public async Task InitializeAsync() =>
        _environment = await StagingTopology.Builder("staging-pacing", _state.Root)
            .WithSetting("backend", "AGENT_EVENT_DELAY", "100ms")
            .WithSetting("backend", "HEARTBEAT_INTERVAL", "300ms")
            .WithSetting("backend", "REDIS_READY_GRACE", "0ms")
            .Build().StartAsync();

    public async Task DisposeAsync()
    {
        try
        {
            if (_environment is not null)
            {
                await _environment.DisposeAsync();
            }
        }
        finally
        {
            await _state.DisposeAsync();
        }
    }

    [Fact]
    public async Task Pings_follow_the_heartbeat_interval()
    {
        await using var socket = await ProtocolSocket.ConnectAsync(_environment!["backend"].Endpoint!, StagingTopology.AccessToken());

        var welcome = await socket.ReceiveAsync();
        Assert.Equal(0.3, welcome["data"]!["config"]!["heartbeat_interval"]!.GetValue<double>());
        var first = await socket.ReceiveTimedAsync();
        var second = await socket.ReceiveTimedAsync(TimeSpan.FromSeconds(10));
        var third = await socket.ReceiveTimedAsync(TimeSpan.FromSeconds(10));

        Assert.All(new[] { first, second, third }, p => Assert.Equal("ping", p.Frame["type"]!.GetValue<string>()));
        // Lower bounds only (the machine is shared); the upper bound is the generous receive timeout.
        Assert.True(third.At - first.At >= TimeSpan.FromMilliseconds(500), $"3 pings within {(third.At - first.At).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Agent_events_are_spaced_by_the_event_delay()
    {
        await using var socket = await ProtocolSocket.ConnectAsync(_environment!["backend"].Endpoint!, StagingTopology.AccessToken());
        await socket.ReceiveAsync();

        await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"paced"}}""");

        var events = new List<DateTimeOffset>();
        while (events.Count < 5)
        {
            var frame = await socket.ReceiveAsync();
            if (frame["type"]!.GetValue<string>() != "ping")
            {
                events.Add(DateTimeOffset.Parse(frame["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture));
            }
        }
        for (var i = 1; i < events.Count; i++)
        {
            // Task.Delay never ends early by more than the timer's granularity; 90 ms shows the 100 ms pause is there.
            Assert.True(events[i] - events[i - 1] >= TimeSpan.FromMilliseconds(90), $"events {i - 1} → {i}: {(events[i] - events[i - 1]).TotalMilliseconds:0} ms");
        }
    }

    [Fact]
    public async Task Shutdown_closes_open_sockets_with_1001()
    {
        var backend = _environment!["backend"];
        await using var socket = await ProtocolSocket.ConnectAsync(backend.Endpoint!, StagingTopology.AccessToken());
        await socket.ReceiveAsync();

        await backend.StopAsync();

        var (status, description) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("Server shutting down", description);
        await backend.StartAsync();
    }
}

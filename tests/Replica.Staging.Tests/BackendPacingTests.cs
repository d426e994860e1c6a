using System.Globalization;
using System.Net.WebSockets;
using Replica.Environments.Hosting;

namespace Replica.Staging.Tests;

/// <summary>The heartbeat and agent pacing follow their settings; shutdown closes sockets with 1001.</summary>
/// <remarks>One environment for the class (<see cref="BackendPacingEnvironment"/>); a test that stops the backend starts it again.</remarks>
public sealed class BackendPacingTests(BackendPacingEnvironment fixture) : IClassFixture<BackendPacingEnvironment>
{
    private RunningEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task Pings_follow_the_heartbeat_interval()
    {
        await using var socket = await ProtocolSocket.ConnectAsync(Environment["backend"].Endpoint!, StagingTopology.AccessToken());

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
        await using var socket = await ProtocolSocket.ConnectAsync(Environment["backend"].Endpoint!, StagingTopology.AccessToken());
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
        var backend = Environment["backend"];
        await using var socket = await ProtocolSocket.ConnectAsync(backend.Endpoint!, StagingTopology.AccessToken());
        await socket.ReceiveAsync();

        await backend.StopAsync();
        try
        {
            var (status, description) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
            Assert.Equal("Server shutting down", description);
        }
        finally
        {
            await backend.StartAsync();
        }
    }
}

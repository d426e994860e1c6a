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
        // The backend pings once at connect and then on a fixed-rate timer started after that ping was sent, so the
        // n-th ping after the first cannot leave before n intervals past the moment the client began to connect.
        // Measured from there, not from the first ping's arrival: on a loaded machine the client may stamp the first
        // ping late while the timer's later ticks stay on schedule, which shortens first → third below 2 intervals.
        var connecting = DateTime.UtcNow;
        await using var socket = await ProtocolSocket.ConnectAsync(Environment["backend"].Endpoint!, StagingTopology.AccessToken());

        var welcome = await socket.ReceiveAsync();
        Assert.Equal(0.3, welcome["data"]!["config"]!["heartbeat_interval"]!.GetValue<double>());
        var first = await socket.ReceiveTimedAsync();
        var second = await socket.ReceiveTimedAsync(TimeSpan.FromSeconds(10));
        var third = await socket.ReceiveTimedAsync(TimeSpan.FromSeconds(10));

        Assert.All(new[] { first, second, third }, p => Assert.Equal("ping", p.Frame["type"]!.GetValue<string>()));
        // Lower bounds only (the machine is shared), less 10 ms for the timer's granularity; the upper bound is the
        // generous receive timeout.
        Assert.True(second.At - connecting >= TimeSpan.FromMilliseconds(290), $"second ping {(second.At - connecting).TotalMilliseconds:0} ms after connecting");
        Assert.True(third.At - connecting >= TimeSpan.FromMilliseconds(590), $"third ping {(third.At - connecting).TotalMilliseconds:0} ms after connecting");
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

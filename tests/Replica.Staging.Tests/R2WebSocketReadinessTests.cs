using System.Net.WebSockets;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>
/// R2 — WebSocket 1011 on the first message. Driven by the environment only: Redis starts late (connections refused)
/// while the backend is already up; /health is green all along, as it was in staging.
/// </summary>
public sealed class R2WebSocketReadinessTests : IAsyncLifetime
{
    private static readonly string[] AgentEvents = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"];
    private readonly IsolatedStateStore _state = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _state.DisposeAsync();

    private Task<Replica.Environments.Hosting.RunningEnvironment> RedisLateAsync(string name, params (string, string)[] settings) =>
        IncidentEnvironment.StartAsync(_state, name, late: ["redis"], backendHealthGate: true,
            [("AGENT_EVENT_DELAY", "0ms"), ("REDIS_RECONNECT_BACKOFF_MAX", "100ms"), .. settings]);

    [Fact]
    public async Task Seed_redis_late_beyond_the_retries_closes_the_first_websocket_with_1011_service_not_ready_redis()
    {
        await using var environment = await RedisLateAsync("r2-seed", ("R2_WEBSOCKET_READINESS", "seed"),
            ("REDIS_READY_RETRIES", "5"), ("REDIS_READY_RETRY_INTERVAL", "100ms"));
        Assert.Equal(200, (await IncidentEnvironment.GetAsync(environment)).Status);

        // The validator starts when the backend accepts the WebSocket, before the client sees its handshake complete:
        // its window is measured from before the connect, the earliest it can have begun.
        var connecting = DateTime.UtcNow;
        await using var socket = await ProtocolSocket.ConnectAsync(environment["backend"].Endpoint!, StagingTopology.AccessToken());
        await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"hello"}}""");

        var (status, description) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("Service not ready: redis", description);
        Assert.Empty(await socket.CollectAsync(TimeSpan.Zero)); // not even the welcome frame came first
        Assert.True(socket.ClosedAt - connecting >= TimeSpan.FromMilliseconds(450), $"closed {(socket.ClosedAt - connecting)?.TotalMilliseconds:0} ms after the connect began: the validator must retry 5 × 100 ms before giving up");
        await IncidentEnvironment.WaitForLogAsync(environment["backend"], "R2: redis not connected after 5 retries (500ms); closing 1011");
        Assert.Equal(200, (await IncidentEnvironment.GetAsync(environment)).Status); // health stayed green
    }

    [Fact]
    public async Task Fixed_waits_for_redis_past_the_retries_and_delivers_the_agent_events()
    {
        await using var environment = await RedisLateAsync("r2-fixed", ("R2_WEBSOCKET_READINESS", "fixed"),
            ("REDIS_READY_RETRIES", "5"), ("REDIS_READY_RETRY_INTERVAL", "100ms"), ("REDIS_READY_TIMEOUT", "30s"));

        await using var socket = await ProtocolSocket.ConnectAsync(environment["backend"].Endpoint!, StagingTopology.AccessToken());
        await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"hello"}}""");
        // Redis stays away for longer than the seed's retries: the backend says so, and only then does Redis start.
        await IncidentEnvironment.WaitForLogAsync(environment["backend"], "R2: redis not connected after 5 retries (500ms); fixed: waiting up to REDIS_READY_TIMEOUT 30s");
        await environment["redis"].StartAsync();

        Assert.Equal("system_message", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
        Assert.Equal("ping", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
        var events = await IncidentEnvironment.ReceiveAgentEventsAsync(socket);
        Assert.Equal(AgentEvents, events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Null(socket.CloseStatus);
    }

    [Fact]
    public async Task The_seeds_timeout_fix_30s_to_60s_changes_nothing_the_close_still_comes_after_the_retries()
    {
        // Staging's defaults (5 retries, 1.5 s apart, 500 ms grace) with the seed's "fix" applied.
        await using var environment = await RedisLateAsync("r2-seed-fix", ("R2_WEBSOCKET_READINESS", "seed"), ("REDIS_READY_TIMEOUT", "60s"));

        var connecting = DateTime.UtcNow; // the earliest the validator can have begun (see above)
        await using var socket = await ProtocolSocket.ConnectAsync(environment["backend"].Endpoint!, StagingTopology.AccessToken());

        var (status, description) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("Service not ready: redis", description);
        var after = socket.ClosedAt!.Value - connecting;
        Assert.True(after >= TimeSpan.FromSeconds(7), $"closed after {after.TotalSeconds:0.0} s: before 5 retries 1.5 s apart");
        Assert.True(after < TimeSpan.FromSeconds(30), $"closed after {after.TotalSeconds:0.0} s: the 60 s timeout must not be what ends it");
        await IncidentEnvironment.WaitForLogAsync(environment["backend"], "R2: redis not connected after 5 retries (7.5s); closing 1011");
    }

    [Fact]
    public async Task Seed_redis_that_accepts_but_does_not_answer_closes_1011_too()
    {
        await using var environment = await IncidentEnvironment.StartAsync(_state, "r2-slow", late: ["backend"], backendHealthGate: true,
            ("R2_WEBSOCKET_READINESS", "seed"), ("REDIS_READY_RETRIES", "5"), ("REDIS_READY_RETRY_INTERVAL", "100ms"), ("REDIS_CONNECT_TIMEOUT", "300ms"));
        await environment["redis"].PauseAsync(); // the kernel still accepts connections; Redis does not answer PING
        await environment["backend"].StartAsync();

        await using var socket = await ProtocolSocket.ConnectAsync(environment["backend"].Endpoint!, StagingTopology.AccessToken());
        var (status, description) = await socket.WaitClosedAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("Service not ready: redis", description);
        // Still paused: the backend's connect attempt ends with its timeout, however soon the close came (a backend
        // that starts natively in tens of milliseconds closes before that; resumed first, Redis would answer it).
        await IncidentEnvironment.WaitForLogAsync(environment["backend"], "no answer within REDIS_CONNECT_TIMEOUT 300ms");
        await environment["redis"].ResumeAsync();
    }

    [Fact]
    public async Task Seed_serves_the_connection_when_redis_comes_up_within_the_retries()
    {
        await using var environment = await RedisLateAsync("r2-seed-in-time", ("R2_WEBSOCKET_READINESS", "seed"),
            ("REDIS_READY_RETRIES", "5"), ("REDIS_READY_RETRY_INTERVAL", "1s"), ("REDIS_READY_GRACE", "0ms"));

        await using var socket = await ProtocolSocket.ConnectAsync(environment["backend"].Endpoint!, StagingTopology.AccessToken());
        await environment["redis"].StartAsync();

        Assert.Equal("system_message", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
        Assert.Equal("ping", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
    }
}


using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>
/// R3 — agent events never arrive. Driven by the environment only: PostgreSQL starts later than the agent supervisor's
/// startup wait. R1 is fixed here, so startup waits for the database and health turns green once it is there — the
/// symptom is then R3's alone: system_message and ping, then silence.
/// </summary>
public sealed class R3AgentSupervisorTests : IAsyncLifetime
{
    private static readonly string[] AgentEvents = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"];
    private readonly IsolatedStateStore _state = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _state.DisposeAsync();

    /// <summary>PostgreSQL held back until the backend has given up waiting for it (its log says so), then started.</summary>
    private async Task<Replica.Environments.Hosting.RunningEnvironment> PostgresLateBeyondTheWaitAsync(string name, string mode, string waitOverLog)
    {
        var environment = await IncidentEnvironment.StartAsync(_state, name, late: ["postgres"], backendHealthGate: false,
            ("R3_AGENT_SUPERVISOR", mode), ("R1_DATABASE_MANAGER", "fixed"), ("AGENT_SUPERVISOR_STARTUP_WAIT", "1s"),
            ("DATABASE_RETRY_INTERVAL", "100ms"), ("AGENT_EVENT_DELAY", "0ms"), ("REDIS_READY_GRACE", "0ms"));
        try
        {
            await IncidentEnvironment.WaitForLogAsync(environment["backend"], waitOverLog);
            await environment["postgres"].StartAsync();
            var (status, _) = await IncidentEnvironment.WaitForStartupOutcomeAsync(environment, TimeSpan.FromSeconds(30));
            Assert.Equal(200, status);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Seed_start_agent_with_user_request_gets_no_frame_after_system_message_and_ping()
    {
        await using var environment = await PostgresLateBeyondTheWaitAsync("r3-seed", "seed", "R3: agent supervisor not created");
        await using var socket = await ProtocolSocket.ConnectAsync(environment["backend"].Endpoint!, StagingTopology.AccessToken());
        var seen = new List<string>
        {
            (await socket.ReceiveAsync())["type"]!.GetValue<string>(),
            (await socket.ReceiveAsync())["type"]!.GetValue<string>(),
        };

        await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"Analyze our costs"}}""");

        Assert.Empty(await socket.CollectAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(["system_message", "ping"], seen);
        Assert.Null(socket.CloseStatus);
        await IncidentEnvironment.WaitForLogAsync(environment["backend"], "R3: fallback handler dropped start_agent");

        // The cause, shown: the fallback reads payload.content only.
        await socket.SendAsync("""{"type":"start_agent","payload":{"content":"Analyze our costs"}}""");
        var events = await IncidentEnvironment.ReceiveAgentEventsAsync(socket);
        Assert.Equal(AgentEvents, events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal("fallback", events[0]["agent_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fixed_creates_the_supervisor_when_postgres_is_ready_and_start_agent_gets_the_five_events()
    {
        await using var environment = await PostgresLateBeyondTheWaitAsync("r3-fixed", "fixed", "R3: database session factory not ready within 1s; fixed:");
        await using var socket = await ProtocolSocket.ConnectAsync(environment["backend"].Endpoint!, StagingTopology.AccessToken());
        Assert.Equal("system_message", (await socket.ReceiveAsync())["type"]!.GetValue<string>());
        Assert.Equal("ping", (await socket.ReceiveAsync())["type"]!.GetValue<string>());

        await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"Analyze our costs"}}""");

        var events = await IncidentEnvironment.ReceiveAgentEventsAsync(socket);
        Assert.Equal(AgentEvents, events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal("supervisor", events[0]["agent_name"]!.GetValue<string>());
        await IncidentEnvironment.WaitForLogAsync(environment["backend"], "R3: fixed: agent supervisor created once its dependencies were ready");
    }
}

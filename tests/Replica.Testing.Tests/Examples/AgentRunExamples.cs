using System.Net.Http.Json;
using System.Text.Json;
using Replica.Chaos.Probes;
using Replica.Testing;

namespace Replica.Testing.Tests.Examples;

/// <summary>Tests as a user of Replica.Testing writes them: the environment from a fixture, faults scoped with using.</summary>
[Collection(StagingCollection.Name)]
public sealed class AgentRunExamples(StagingEnvironment staging)
{
    private static readonly string[] FiveEvents = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"];

    private Task<string> TokenAsync() => Probes.TokenAsync(staging.Environment, "/auth/e2e/test-auth",
        new Dictionary<string, string> { ["X-E2E-Bypass-Key"] = "replica-e2e-bypass-key" },
        new { email = "example@example.com", name = "Example", permissions = new[] { "read" } });

    private static object StartAgent => new { type = "start_agent", payload = new { user_request = "How much did we spend on GPUs?" } };

    [Fact]
    public async Task An_agent_run_delivers_its_five_events_in_order()
    {
        var run = await Probes.WebSocketAsync(staging.Environment, "/ws", await TokenAsync(), StartAgent, ["system_message", .. FiveEvents]);

        ReplicaAssert.Passed(run);
        ReplicaAssert.SawInOrder(run, ["system_message", .. FiveEvents]);
    }

    [Fact]
    public async Task A_dropped_agent_completed_frame_leaves_the_client_waiting_after_tool_completed()
    {
        using var _ = staging.Faults.DropFrames("agent_completed");

        var run = await Probes.WebSocketAsync(staging.Environment, "/ws", await TokenAsync(), StartAgent, ["system_message", .. FiveEvents],
            frameTimeout: TimeSpan.FromSeconds(1));

        Assert.Equal(FailureKind.Timeout, run.Failure?.Kind);
        Assert.Equal("tool_completed", run.Failure!.AfterFrames![^1]);
    }

    [Fact]
    public async Task A_close_1011_from_the_front_door_reaches_the_client()
    {
        using var _ = staging.Faults.CloseWebSockets(1011, "Internal error", afterFrames: 1);

        var run = await Probes.WebSocketAsync(staging.Environment, "/ws", await TokenAsync(), StartAgent, ["system_message", .. FiveEvents]);

        ReplicaAssert.ClosedWith(run, 1011, "Internal error");
    }

    [Fact]
    public async Task Slow_redis_shows_in_the_backends_own_health_report()
    {
        using var _ = staging.Faults.Latency("backend_redis", 250);
        using var http = new HttpClient();

        var health = await http.GetFromJsonAsync<JsonElement>(new Uri(staging.EdgeUrl, "/api/health"));

        Assert.True(health.GetProperty("checks").GetProperty("redis").GetProperty("response_time_ms").GetDouble() >= 250);
    }
}

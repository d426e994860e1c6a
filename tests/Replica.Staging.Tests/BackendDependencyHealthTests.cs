
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>/health/ready and /api/health when a dependency stalls or goes away after startup.</summary>
public sealed class BackendDependencyHealthTests : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _state.DisposeAsync();

    [Fact]
    public async Task A_stalled_postgres_makes_readiness_time_out_and_api_health_503_while_health_stays_green()
    {
        await using var environment = await IncidentEnvironment.StartAsync(_state, "health-stalled-pg", late: [], backendHealthGate: true,
            ("HEALTH_READY_TIMEOUT", "500ms"));
        await using (await StalledPostgres.StallAsync(environment["postgres"]))
        {
            var (readyStatus, ready) = await IncidentEnvironment.GetAsync(environment, "/health/ready");
            Assert.Equal(503, readyStatus);
            Assert.Equal("Readiness check timeout", ready!["message"]!.GetValue<string>());

            var (apiStatus, api) = await IncidentEnvironment.GetAsync(environment, "/api/health");
            Assert.Equal(503, apiStatus);
            Assert.Equal("unhealthy", api!["status"]!.GetValue<string>());
            Assert.False(api["checks"]!["postgres"]!["connected"]!.GetValue<bool>());
            Assert.Equal("check timed out", api["checks"]!["postgres"]!["error"]!.GetValue<string>());
            Assert.True(api["checks"]!["redis"]!["connected"]!.GetValue<bool>());

            Assert.Equal(200, (await IncidentEnvironment.GetAsync(environment)).Status);
        }
        await Eventually.WaitAsync(async () => (await IncidentEnvironment.GetAsync(environment, "/health/ready")).Status == 200,
            TimeSpan.FromSeconds(30), "readiness to recover");
    }

    [Fact]
    public async Task Without_redis_api_health_is_degraded_not_failed_and_recovers_when_redis_returns()
    {
        await using var environment = await IncidentEnvironment.StartAsync(_state, "health-no-redis", late: [], backendHealthGate: true,
            ("REDIS_RECONNECT_BACKOFF_MAX", "100ms"));

        await environment["redis"].KillAsync();

        (int Status, System.Text.Json.Nodes.JsonNode? Body) health = default;
        await Eventually.WaitAsync(async () => (health = await IncidentEnvironment.GetAsync(environment, "/api/health")).Body?["status"]?.GetValue<string>() == "degraded",
            TimeSpan.FromSeconds(30), "/api/health to report degraded");
        Assert.Equal(200, health.Status);
        var redis = health.Body!["checks"]!["redis"]!;
        Assert.False(redis["connected"]!.GetValue<bool>());
        Assert.Contains("not connected", redis["error"]!.GetValue<string>());

        await environment["redis"].StartAsync();
        await Eventually.WaitAsync(async () => (await IncidentEnvironment.GetAsync(environment, "/api/health")).Body?["status"]?.GetValue<string>() == "healthy",
            TimeSpan.FromSeconds(30), "/api/health to report healthy again");
    }
}

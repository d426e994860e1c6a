
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>
/// R1 — "DatabaseManager not initialized". Driven by the environment only: PostgreSQL starts late (or is slow to
/// answer) while the backend starts. The backend runs without its health gate here: the test watches /health itself.
/// </summary>
public sealed class R1DatabaseManagerTests : IAsyncLifetime
{
    private const string SeedFailure = "Startup failed: DatabaseManager not initialized and auto-initialization failed";
    private readonly IsolatedStateStore _state = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _state.DisposeAsync();

    [Fact]
    public async Task Seed_postgres_late_at_start_fails_startup_for_good_with_503_database_manager_not_initialized()
    {
        await using var environment = await IncidentEnvironment.StartAsync(_state, "r1-seed", late: ["postgres"], backendHealthGate: false,
            ("R1_DATABASE_MANAGER", "seed"));
        var backend = environment["backend"];

        var (status, body) = await IncidentEnvironment.WaitForStartupOutcomeAsync(environment, TimeSpan.FromSeconds(30));
        Assert.Equal(503, status);
        Assert.Equal("unhealthy", body!["status"]!.GetValue<string>());
        Assert.StartsWith(SeedFailure, body["message"]!.GetValue<string>());
        await IncidentEnvironment.WaitForLogAsync(backend, "R1: startup needed the database engine before it was initialized; the seed auto-initialization slept 100ms");
        var (readyStatus, ready) = await IncidentEnvironment.GetAsync(environment, "/health/ready");
        Assert.Equal(503, readyStatus);
        Assert.Equal("Core database unavailable", ready!["message"]!.GetValue<string>());

        // PostgreSQL arrives; a readiness call makes the seed hotfix schedule another initialization, which now works —
        // and health still says startup failed, as staging's did until a redeploy.
        await environment["postgres"].StartAsync();
        await Eventually.WaitAsync(async () => (await IncidentEnvironment.GetAsync(environment, "/health/ready")).Body?["core_db"]?.GetValue<string>() == "connected",
            TimeSpan.FromSeconds(30), "the database to be initialized by a later call");
        await IncidentEnvironment.WaitForLogAsync(backend, "database: initialized");
        (status, body) = await IncidentEnvironment.GetAsync(environment);
        Assert.Equal(503, status);
        Assert.StartsWith(SeedFailure, body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fixed_postgres_late_at_start_is_waited_for_and_the_backend_becomes_healthy()
    {
        await using var environment = await IncidentEnvironment.StartAsync(_state, "r1-fixed", late: ["postgres"], backendHealthGate: false,
            ("R1_DATABASE_MANAGER", "fixed"), ("DATABASE_RETRY_INTERVAL", "100ms"), ("DATABASE_INIT_TIMEOUT", "60s"));
        var backend = environment["backend"];

        await IncidentEnvironment.WaitForLogAsync(backend, "R1: database not ready");
        var (status, body) = await IncidentEnvironment.GetAsync(environment);
        Assert.Equal(503, status);
        Assert.Equal("Startup in progress", body!["message"]!.GetValue<string>());

        await environment["postgres"].StartAsync();

        (status, body) = await IncidentEnvironment.WaitForStartupOutcomeAsync(environment, TimeSpan.FromSeconds(30));
        Assert.Equal(200, status);
        Assert.Equal("healthy", body!["status"]!.GetValue<string>());
        Assert.Equal(200, (await IncidentEnvironment.GetAsync(environment, "/health/ready")).Status);
        await IncidentEnvironment.WaitForLogAsync(backend, "R1: fixed: shared database initialization completed after");
    }

    [Fact]
    public async Task Seed_postgres_that_accepts_but_answers_too_slowly_fails_startup_the_same_way()
    {
        await using var environment = await IncidentEnvironment.StartAsync(_state, "r1-slow", late: ["backend"], backendHealthGate: false,
            ("R1_DATABASE_MANAGER", "seed"), ("DATABASE_CONNECT_TIMEOUT", "500ms"));
        await environment["postgres"].PauseAsync(); // the kernel still accepts connections; PostgreSQL does not answer

        await environment["backend"].StartAsync();
        var (status, body) = await IncidentEnvironment.WaitForStartupOutcomeAsync(environment, TimeSpan.FromSeconds(30));
        await environment["postgres"].ResumeAsync();

        Assert.Equal(503, status);
        Assert.StartsWith(SeedFailure, body!["message"]!.GetValue<string>());
        Assert.Contains("no answer within DATABASE_CONNECT_TIMEOUT 500ms", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Seed_starts_healthy_when_postgres_is_there_in_time()
    {
        await using var environment = await IncidentEnvironment.StartAsync(_state, "r1-seed-ok", late: [], backendHealthGate: false,
            ("R1_DATABASE_MANAGER", "seed"));

        var (status, _) = await IncidentEnvironment.WaitForStartupOutcomeAsync(environment, TimeSpan.FromSeconds(30));

        Assert.Equal(200, status);
    }
}

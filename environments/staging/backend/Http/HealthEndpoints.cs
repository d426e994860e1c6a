using System.Text.Json.Nodes;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Database;
using Replica.Staging.Backend.Protocol;
using Replica.Staging.Backend.Redis;
using Replica.Staging.Backend.Startup;
using Replica.Staging.Common;
using StackExchange.Redis;

namespace Replica.Staging.Backend.Http;

/// <summary>
/// /health (startup state only: green while Redis is down, as staging's was), /health/ready and /api/health/ready
/// (core database and startup, 503 "Readiness check timeout" past HEALTH_READY_TIMEOUT), /api/health (each
/// dependency's check; 503 when PostgreSQL, the critical one, fails; "degraded" when only Redis does), /api/health/live.
/// </summary>
public sealed class HealthEndpoints(BackendSettings settings, StartupState startup, DatabaseManager database, RedisConnection redis, TimeProvider clock)
{
    public const string ServiceName = "netra-backend";
    public const string Version = "1.0.0";

    public void Map(WebApplication app)
    {
        app.MapGet("/health", Health);
        app.MapGet("/health/ready", ReadyAsync);
        app.MapGet("/api/health/ready", ReadyAsync);
        app.MapGet("/api/health/live", () => JsonResults.Json(new JsonObject { ["status"] = "alive", ["timestamp"] = ProtocolTime.Iso(clock) }));
        app.MapGet("/api/health", ApiHealthAsync);
    }

    private IResult Health()
    {
        if (startup.Failure is { } failure)
        {
            return JsonResults.Json(new JsonObject { ["status"] = "unhealthy", ["message"] = $"Startup failed: {failure}" }, StatusCodes.Status503ServiceUnavailable);
        }
        if (!startup.IsComplete)
        {
            return JsonResults.Json(new JsonObject { ["status"] = "unhealthy", ["message"] = "Startup in progress" }, StatusCodes.Status503ServiceUnavailable);
        }
        return JsonResults.Json(new JsonObject { ["status"] = "healthy", ["service"] = ServiceName, ["version"] = Version, ["timestamp"] = ProtocolTime.Unix(clock) });
    }

    private async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Task.Run: under R1 seed the database check blocks its thread (GetEngine's sleep) before its first await.
        var checks = Task.Run(() => ReadinessAsync(deadline.Token), CancellationToken.None);
        try
        {
            return await checks.WaitAsync(settings.ReadinessCheckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            await deadline.CancelAsync();
            return JsonResults.Json(new JsonObject { ["status"] = "not_ready", ["message"] = "Readiness check timeout" }, StatusCodes.Status503ServiceUnavailable);
        }
    }

    private async Task<IResult> ReadinessAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.PingAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or Npgsql.NpgsqlException or OperationCanceledException)
        {
            return JsonResults.Json(new JsonObject
            {
                ["status"] = "not_ready",
                ["message"] = "Core database unavailable",
                ["core_db"] = "unavailable",
                ["error"] = ex.Message,
            }, StatusCodes.Status503ServiceUnavailable);
        }
        if (!startup.IsComplete)
        {
            return JsonResults.Json(new JsonObject
            {
                ["status"] = "not_ready",
                ["message"] = startup.Failure is { } f ? $"Startup failed: {f}" : "Startup in progress",
                ["core_db"] = "connected",
            }, StatusCodes.Status503ServiceUnavailable);
        }
        return JsonResults.Json(new JsonObject
        {
            ["status"] = "ready",
            ["core_db"] = "connected",
            ["redis"] = redis.IsConnected ? "connected" : "disconnected",
            ["startup_complete"] = true,
            ["timestamp"] = ProtocolTime.Unix(clock),
        });
    }

    private async Task<IResult> ApiHealthAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Both at once, each up to HEALTH_READY_TIMEOUT; Task.Run as in ReadyAsync (GetEngine's sleep under R1 seed).
        var postgresCheck = CheckAsync(Task.Run(() => database.PingAsync(deadline.Token), CancellationToken.None), cancellationToken);
        var redisCheckTask = redis.IsConnected
            ? CheckAsync(redis.PingAsync(deadline.Token), cancellationToken)
            : Task.FromResult(Failed($"not connected: {redis.LastError}"));
        await Task.WhenAll(postgresCheck, redisCheckTask);
        // Stops a check that timed out.
        await deadline.CancelAsync();
        var (postgres, redisCheck) = (postgresCheck.Result, redisCheckTask.Result);
        var postgresUp = postgres["connected"]!.GetValue<bool>();
        var status = !postgresUp ? "unhealthy" : redisCheck["connected"]!.GetValue<bool>() ? "healthy" : "degraded";
        var body = new JsonObject
        {
            ["status"] = status,
            ["timestamp"] = ProtocolTime.Iso(clock),
            ["uptime_seconds"] = Math.Round((clock.GetUtcNow() - startup.StartedAt).TotalSeconds, 3),
            ["checks"] = new JsonObject { ["postgres"] = postgres, ["redis"] = redisCheck },
            ["version"] = Version,
            ["environment"] = settings.Environment,
        };
        return Results.Content(body.ToJsonString(), "application/json", statusCode: postgresUp ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private async Task<JsonObject> CheckAsync(Task<TimeSpan> check, CancellationToken cancellationToken)
    {
        try
        {
            var elapsed = await check.WaitAsync(settings.ReadinessCheckTimeout, cancellationToken);
            return new JsonObject
            {
                ["status"] = "healthy",
                ["connected"] = true,
                ["response_time_ms"] = Math.Round(elapsed.TotalMilliseconds, 2),
                ["error"] = null,
            };
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or Npgsql.NpgsqlException or RedisException or OperationCanceledException or TimeoutException)
        {
            return Failed(ex switch
            {
                OperationCanceledException or TimeoutException => "check timed out",
                RedisException redisError => redis.Describe(redisError),
                _ => ex.Message,
            });
        }
    }

    private static JsonObject Failed(string error) => new()
    {
        ["status"] = "unhealthy",
        ["connected"] = false,
        ["response_time_ms"] = null,
        ["error"] = error,
    };
}

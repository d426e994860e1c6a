using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Database;
using Replica.Staging.Backend.Redis;
using StackExchange.Redis;

namespace Replica.Staging.Backend.Readiness;

/// <summary>
/// Checks, for each accepted WebSocket before its welcome frame, that the services it needs are ready, in phases:
/// database, Redis, auth. Incident R2 is the Redis phase. Seed: look at the multiplexer's connected state, and re-check
/// REDIS_READY_RETRIES times REDIS_READY_RETRY_INTERVAL apart; once connected pause REDIS_READY_GRACE (the seed fix's
/// grace). REDIS_READY_TIMEOUT is never read on this path — as in staging, where raising it 30 s → 60 s changed nothing.
/// Fixed: wait on Redis' real readiness (connected, then a PING) for up to REDIS_READY_TIMEOUT.
/// Database and auth are checked once: whenever /health is green they are ready; the race is Redis'.
/// </summary>
public sealed class WebSocketReadinessValidator(BackendSettings settings, DatabaseManager database, RedisConnection redis,
    AccessTokenValidator tokens, ILogger logger)
{
    /// <summary>Null when ready; otherwise the service that is not ("database", "redis", "auth").</summary>
    public async Task<string?> ValidateAsync(CancellationToken cancellationToken)
    {
        if (!database.IsInitialized)
        {
            logger.LogInformation("websocket readiness: database not initialized; closing 1011");
            return "database";
        }
        var redisReady = settings.R2WebSocketReadiness == IncidentMode.Seed
            ? await SeedRedisReadyAsync(cancellationToken)
            : await FixedRedisReadyAsync(cancellationToken);
        if (!redisReady)
        {
            return "redis";
        }
        if (!tokens.IsConfigured)
        {
            logger.LogInformation("websocket readiness: auth not configured (no JWT secret); closing 1011");
            return "auth";
        }
        return null;
    }

    private TimeSpan RetryWindow => settings.RedisReadyRetryInterval * settings.RedisReadyRetries;

    private async Task<bool> SeedRedisReadyAsync(CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            if (redis.IsConnected)
            {
                if (settings.RedisReadyGrace > TimeSpan.Zero)
                {
                    await Task.Delay(settings.RedisReadyGrace, cancellationToken);
                }
                return true;
            }
            if (retry == settings.RedisReadyRetries)
            {
                logger.LogInformation("R2: redis not connected after {Retries} retries ({Window}); closing 1011",
                    settings.RedisReadyRetries, DurationSetting.Format(RetryWindow));
                return false;
            }
            await Task.Delay(settings.RedisReadyRetryInterval, cancellationToken);
        }
    }

    private async Task<bool> FixedRedisReadyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var timeout = settings.RedisReadyTimeout;
        var reportedPastRetries = false;
        while (true)
        {
            if (redis.IsConnected && Remaining(clock, timeout) > TimeSpan.Zero)
            {
                try
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(Remaining(clock, timeout));
                    await redis.PingAsync(deadline.Token);
                    if (reportedPastRetries)
                    {
                        logger.LogInformation("R2: fixed: redis ready after {Elapsed} ms; connection proceeds", clock.ElapsedMilliseconds);
                    }
                    return true;
                }
                catch (Exception ex) when (ex is RedisException or RedisTimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // Lost again, too slow, or not ready to serve (LOADING): look again after a pause, within the timeout.
                    await Task.Delay(Min(settings.RedisReconnectBackoff, Max(Remaining(clock, timeout), TimeSpan.Zero)), cancellationToken);
                }
            }
            if (Remaining(clock, timeout) <= TimeSpan.Zero)
            {
                logger.LogInformation("R2: redis not connected within REDIS_READY_TIMEOUT {Timeout}; closing 1011", DurationSetting.Format(timeout));
                return false;
            }
            if (!reportedPastRetries && clock.Elapsed >= RetryWindow)
            {
                reportedPastRetries = true;
                logger.LogInformation("R2: redis not connected after {Retries} retries ({Window}); fixed: waiting up to REDIS_READY_TIMEOUT {Timeout} for it",
                    settings.RedisReadyRetries, DurationSetting.Format(RetryWindow), DurationSetting.Format(timeout));
            }
            var until = reportedPastRetries ? Remaining(clock, timeout) : Min(RetryWindow - clock.Elapsed, Remaining(clock, timeout));
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(Max(until, TimeSpan.FromMilliseconds(1)));
            try
            {
                await redis.WaitConnectedAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private static TimeSpan Remaining(Stopwatch clock, TimeSpan timeout) => timeout - clock.Elapsed;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

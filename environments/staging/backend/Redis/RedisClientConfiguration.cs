using Replica.Staging.Backend.Configuration;
using StackExchange.Redis;

namespace Replica.Staging.Backend.Redis;

/// <summary>
/// The StackExchange.Redis options the backend's one multiplexer runs with, every timing from <see cref="BackendSettings"/>
/// so a scenario can compress time. Connecting never throws (AbortOnConnectFail off) and is one attempt within
/// REDIS_CONNECT_TIMEOUT (ConnectRetry 1): after it the multiplexer reconnects by itself, on its heartbeat
/// (REDIS_HEARTBEAT_INTERVAL), with a randomised exponential backoff (REDIS_RECONNECT_BACKOFF up to
/// REDIS_RECONNECT_BACKOFF_MAX). A handshake after a reconnect is bounded by REDIS_COMMAND_TIMEOUT, as every command is.
/// Commands never queue for a connection (fail-fast backlog): without one they fail at once, as callers expect.
/// </summary>
public static class RedisClientConfiguration
{
    public const string ClientName = "netra-backend";

    public static ConfigurationOptions For(BackendSettings settings)
    {
        var options = RedisEndpoint.Parse(settings.RedisUrl).ToConfigurationOptions();
        options.ClientName = ClientName;
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 1;
        options.ConnectTimeout = Milliseconds(settings.RedisConnectTimeout);
        options.ReconnectRetryPolicy = new ExponentialRetry(Milliseconds(settings.RedisReconnectBackoff), Milliseconds(settings.RedisReconnectBackoffMax));
        options.HeartbeatInterval = settings.RedisHeartbeatInterval;
        options.KeepAlive = (int)settings.RedisKeepAlive.TotalSeconds;
        options.SyncTimeout = Milliseconds(settings.RedisCommandTimeout);
        options.AsyncTimeout = Milliseconds(settings.RedisCommandTimeout);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    /// <summary>Whole milliseconds, at least 1 (a duration setting is at most a day, well inside an int).</summary>
    private static int Milliseconds(TimeSpan duration) => (int)Math.Max(1, Math.Ceiling(duration.TotalMilliseconds));
}

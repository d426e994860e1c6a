using System.Globalization;
using Replica.Staging.Backend.Redis;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Configuration;

/// <summary>
/// Everything the backend reads from its environment, read once at startup. Every duration on an incident's path is
/// here, so a scenario can compress time and still run the same race. Defaults are staging's.
/// </summary>
public sealed record BackendSettings
{
    public string Environment { get; init; } = "development";

    /// <summary>JWT_SECRET_STAGING when ENVIRONMENT is staging, else JWT_SECRET_KEY (<see cref="JwtSecretSetting"/>).</summary>
    public string? JwtSecret { get; init; }

    public string DatabaseUrl { get; init; } = "";

    public string RedisUrl { get; init; } = "";

    public string? AuthServiceUrl { get; init; }

    public string? FrontendUrl { get; init; }

    public IncidentMode R1DatabaseManager { get; init; } = IncidentMode.Seed;

    public IncidentMode R2WebSocketReadiness { get; init; } = IncidentMode.Seed;

    public IncidentMode R3AgentSupervisor { get; init; } = IncidentMode.Seed;

    /// <summary>One attempt to reach PostgreSQL (connect and answer).</summary>
    public TimeSpan DatabaseConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>R1 fixed: how long the shared initialisation keeps retrying before startup fails.</summary>
    public TimeSpan DatabaseInitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>R1 fixed: pause between initialisation attempts.</summary>
    public TimeSpan DatabaseRetryInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>R1 seed: the auto-initialisation hotfix's sleep (100 ms in staging).</summary>
    public TimeSpan DatabaseAutoInitWait { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>R2: re-checks of Redis after the first one, <see cref="RedisReadyRetryInterval"/> apart.</summary>
    public int RedisReadyRetries { get; init; } = 5;

    public TimeSpan RedisReadyRetryInterval { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>R2 seed: the pause after Redis reports connected (the seed fix's "stabilisation" grace).</summary>
    public TimeSpan RedisReadyGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>R2: the per-check timeout. The seed code path never reads it (as in staging); the fixed path waits up to it.</summary>
    public TimeSpan RedisReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The Redis client: one connection attempt, TCP connect and the Redis handshake (StackExchange.Redis ConnectTimeout).</summary>
    public TimeSpan RedisConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The Redis client: the first pause between reconnect attempts, growing (randomised) after each failure…</summary>
    public TimeSpan RedisReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>…up to this.</summary>
    public TimeSpan RedisReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The Redis client's heartbeat: how often it checks its connection, times out commands and may start a reconnect
    /// attempt. Reconnects only happen on a heartbeat, so this is the granularity of the backoff above: 100 ms keeps
    /// REDIS_RECONNECT_BACKOFF as written (StackExchange.Redis's own default, 1 s, would round every pause up to 1 s).
    /// </summary>
    public TimeSpan RedisHeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The Redis client: an idle connection is pinged after this long (whole seconds, as the client counts them).</summary>
    public TimeSpan RedisKeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Redis client: how long a command (SET, DEL, PUBLISH, PING) waits for its reply before it fails.</summary>
    public TimeSpan RedisCommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>R3: how long startup waits for the agent supervisor's dependencies.</summary>
    public TimeSpan AgentSupervisorStartupWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause between an agent run's events.</summary>
    public TimeSpan AgentEventDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest client WebSocket message, in bytes.</summary>
    public int MaxMessageSize { get; init; } = 8192;

    /// <summary>/health/ready answers 503 "Readiness check timeout" when its checks take longer.</summary>
    public TimeSpan ReadinessCheckTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>The longest any duration setting may be: timers refuse more than about 49 days, and no wait needs a day.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>The largest WEBSOCKET_MAX_MESSAGE_SIZE: every session allocates a receive buffer of that size.</summary>
    public const int MaxMessageSizeLimit = 16 * 1024 * 1024;

    /// <summary>The most REDIS_READY_RETRIES: each retry waits REDIS_READY_RETRY_INTERVAL on a handshake.</summary>
    public const int MaxRedisReadyRetries = 1000;

    /// <summary>Reads and checks every setting; all problems are reported together in one <see cref="FormatException"/>.</summary>
    public static BackendSettings FromEnvironment(Func<string, string?> read)
    {
        var problems = new List<string>();
        var defaults = new BackendSettings();

        string? Text(string key) => read(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        string Required(string key)
        {
            if (Text(key) is { } value)
            {
                return value;
            }
            problems.Add($"{key} is not set");
            return "";
        }

        TimeSpan Duration(string key, TimeSpan fallback, bool allowZero = true)
        {
            if (Text(key) is not { } value)
            {
                return fallback;
            }
            if (!DurationSetting.TryParse(value, out var duration) || (!allowZero && duration == TimeSpan.Zero))
            {
                problems.Add($"{key}='{value}' is not a {(allowZero ? "" : "positive ")}duration (write it like 250ms, 1.5s or 30s)");
                return fallback;
            }
            if (duration > MaxDuration)
            {
                problems.Add($"{key}='{value}' is too long: a duration setting is at most {MaxDuration.TotalMinutes:0}m (one day)");
                return fallback;
            }
            return duration;
        }

        int Count(string key, int fallback, int minimum, int maximum, string maximumText)
        {
            if (Text(key) is not { } value)
            {
                return fallback;
            }
            var whole = value.All(char.IsAsciiDigit);
            if (whole && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var large) || large > maximum))
            {
                problems.Add($"{key}='{value}' is too large: at most {maximumText}");
                return fallback;
            }
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < minimum)
            {
                problems.Add($"{key}='{value}' must be a whole number ≥ {minimum}");
                return fallback;
            }
            return count;
        }

        IncidentMode Mode(string key)
        {
            switch (Text(key)?.ToLowerInvariant())
            {
                case null or "seed":
                    return IncidentMode.Seed;
                case "fixed":
                    return IncidentMode.Fixed;
                default:
                    problems.Add($"{key}='{Text(key)}' must be seed or fixed");
                    return IncidentMode.Seed;
            }
        }

        var environment = Text("ENVIRONMENT") ?? defaults.Environment;
        var settings = new BackendSettings
        {
            Environment = environment,
            JwtSecret = JwtSecretSetting.Read(environment, read),
            DatabaseUrl = Required("DATABASE_URL"),
            RedisUrl = Required("REDIS_URL"),
            AuthServiceUrl = Text("AUTH_SERVICE_URL"),
            FrontendUrl = Text("FRONTEND_URL"),
            R1DatabaseManager = Mode("R1_DATABASE_MANAGER"),
            R2WebSocketReadiness = Mode("R2_WEBSOCKET_READINESS"),
            R3AgentSupervisor = Mode("R3_AGENT_SUPERVISOR"),
            DatabaseConnectTimeout = Duration("DATABASE_CONNECT_TIMEOUT", defaults.DatabaseConnectTimeout, allowZero: false),
            DatabaseInitTimeout = Duration("DATABASE_INIT_TIMEOUT", defaults.DatabaseInitTimeout),
            DatabaseRetryInterval = Duration("DATABASE_RETRY_INTERVAL", defaults.DatabaseRetryInterval),
            DatabaseAutoInitWait = Duration("DATABASE_AUTO_INIT_WAIT", defaults.DatabaseAutoInitWait),
            RedisReadyRetries = Count("REDIS_READY_RETRIES", defaults.RedisReadyRetries, 0, MaxRedisReadyRetries, $"{MaxRedisReadyRetries}"),
            RedisReadyRetryInterval = Duration("REDIS_READY_RETRY_INTERVAL", defaults.RedisReadyRetryInterval),
            RedisReadyGrace = Duration("REDIS_READY_GRACE", defaults.RedisReadyGrace),
            RedisReadyTimeout = Duration("REDIS_READY_TIMEOUT", defaults.RedisReadyTimeout),
            RedisConnectTimeout = Duration("REDIS_CONNECT_TIMEOUT", defaults.RedisConnectTimeout, allowZero: false),
            RedisReconnectBackoff = Duration("REDIS_RECONNECT_BACKOFF", defaults.RedisReconnectBackoff, allowZero: false),
            RedisReconnectBackoffMax = Duration("REDIS_RECONNECT_BACKOFF_MAX", defaults.RedisReconnectBackoffMax, allowZero: false),
            RedisHeartbeatInterval = Duration("REDIS_HEARTBEAT_INTERVAL", defaults.RedisHeartbeatInterval, allowZero: false),
            RedisKeepAlive = Duration("REDIS_KEEPALIVE", defaults.RedisKeepAlive, allowZero: false),
            RedisCommandTimeout = Duration("REDIS_COMMAND_TIMEOUT", defaults.RedisCommandTimeout, allowZero: false),
            AgentSupervisorStartupWait = Duration("AGENT_SUPERVISOR_STARTUP_WAIT", defaults.AgentSupervisorStartupWait),
            AgentEventDelay = Duration("AGENT_EVENT_DELAY", defaults.AgentEventDelay),
            HeartbeatInterval = Duration("HEARTBEAT_INTERVAL", defaults.HeartbeatInterval, allowZero: false),
            MaxMessageSize = Count("WEBSOCKET_MAX_MESSAGE_SIZE", defaults.MaxMessageSize, 64, MaxMessageSizeLimit, $"{MaxMessageSizeLimit} bytes (16 MiB)"),
            ReadinessCheckTimeout = Duration("HEALTH_READY_TIMEOUT", defaults.ReadinessCheckTimeout, allowZero: false),
        };
        if (JwtSecretSetting.Problem(environment, read) is { } secretProblem)
        {
            problems.Add(secretProblem);
        }
        if (settings.RedisReconnectBackoffMax < settings.RedisReconnectBackoff)
        {
            problems.Add($"REDIS_RECONNECT_BACKOFF_MAX ({DurationSetting.Format(settings.RedisReconnectBackoffMax)}) must not be shorter than REDIS_RECONNECT_BACKOFF ({DurationSetting.Format(settings.RedisReconnectBackoff)})");
        }
        if (settings.RedisKeepAlive.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            problems.Add($"REDIS_KEEPALIVE='{Text("REDIS_KEEPALIVE")}' must be whole seconds (the Redis client counts keep-alive in seconds)");
        }
        if (settings.RedisUrl.Length > 0)
        {
            try
            {
                RedisEndpoint.Parse(settings.RedisUrl);
            }
            catch (FormatException ex)
            {
                problems.Add($"REDIS_URL: {ex.Message}");
            }
        }
        if (settings.DatabaseUrl.Length > 0)
        {
            try
            {
                Database.PostgresUrl.ToConnectionString(settings.DatabaseUrl);
            }
            catch (FormatException ex)
            {
                problems.Add($"DATABASE_URL: {ex.Message}");
            }
        }
        if (problems.Count > 0)
        {
            throw new FormatException("invalid settings:" + string.Concat(problems.Select(p => System.Environment.NewLine + "  " + p)));
        }
        return settings;
    }
}

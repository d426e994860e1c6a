using Replica.Environments.Errors;
using Replica.Staging.Backend.Configuration;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

public sealed class BackendSettingsTests
{
    private static readonly Dictionary<string, string> Minimal = new()
    {
        ["DATABASE_URL"] = "postgresql://netra:netra@127.0.0.1:5432/netra",
        ["REDIS_URL"] = "redis://127.0.0.1:6379/0",
    };

    private static BackendSettings Read(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>(Minimal);
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }
        return BackendSettings.FromEnvironment(key => values.GetValueOrDefault(key));
    }

    [Fact]
    public void Defaults_are_stagings_and_every_incident_starts_as_seed()
    {
        var settings = Read();

        Assert.Equal(IncidentMode.Seed, settings.R1DatabaseManager);
        Assert.Equal(IncidentMode.Seed, settings.R2WebSocketReadiness);
        Assert.Equal(IncidentMode.Seed, settings.R3AgentSupervisor);
        Assert.Equal(5, settings.RedisReadyRetries);
        Assert.Equal(TimeSpan.FromSeconds(1.5), settings.RedisReadyRetryInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.RedisReadyGrace);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.RedisReadyTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.AgentEventDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.HeartbeatInterval);
        Assert.Equal(8192, settings.MaxMessageSize);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("1.5s", 1500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("0", 0)]
    [InlineData(" 100ms ", 100)]
    public void Durations_are_read_as_settings_write_them(string text, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Read(("AGENT_EVENT_DELAY", text)).AgentEventDelay);
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(7500, "7.5s")]
    [InlineData(30_000, "30s")]
    [InlineData(1250, "1250ms")]
    public void Durations_are_printed_the_way_they_are_written(int milliseconds, string text)
    {
        Assert.Equal(text, DurationSetting.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Modes_are_seed_or_fixed_in_any_case()
    {
        var settings = Read(("R1_DATABASE_MANAGER", "FIXED"), ("R2_WEBSOCKET_READINESS", "fixed"), ("R3_AGENT_SUPERVISOR", "Seed"));

        Assert.Equal(IncidentMode.Fixed, settings.R1DatabaseManager);
        Assert.Equal(IncidentMode.Fixed, settings.R2WebSocketReadiness);
        Assert.Equal(IncidentMode.Seed, settings.R3AgentSupervisor);
    }

    [Fact]
    public void The_staging_secret_is_used_in_staging_and_the_generic_one_elsewhere()
    {
        const string staging = "the-staging-secret-0123456789abcdef", generic = "the-generic-secret-0123456789abcdef";
        Assert.Equal(staging, Read(("ENVIRONMENT", "staging"), ("JWT_SECRET_STAGING", staging), ("JWT_SECRET_KEY", generic)).JwtSecret);
        Assert.Equal(generic, Read(("ENVIRONMENT", "development"), ("JWT_SECRET_STAGING", staging), ("JWT_SECRET_KEY", generic)).JwtSecret);
        Assert.Equal(generic, Read(("ENVIRONMENT", "staging"), ("JWT_SECRET_KEY", generic)).JwtSecret);
    }

    [Fact]
    public void Every_bad_setting_is_named_in_one_error()
    {
        var error = Assert.Throws<FormatException>(() => BackendSettings.FromEnvironment(key => key switch
        {
            "REDIS_URL" => "http://nope",
            "HEARTBEAT_INTERVAL" => "soon",
            "REDIS_READY_RETRIES" => "-1",
            "R2_WEBSOCKET_READINESS" => "maybe",
            "AGENT_EVENT_DELAY" => "250",
            _ => null,
        }));

        Assert.Contains("DATABASE_URL is not set", error.Message);
        Assert.Contains("REDIS_URL: not a redis://host:port/db URL: 'http://nope'", error.Message);
        Assert.Contains("HEARTBEAT_INTERVAL='soon' is not a positive duration (write it like 250ms, 1.5s or 30s)", error.Message);
        Assert.Contains("REDIS_READY_RETRIES='-1' must be a whole number ≥ 0", error.Message);
        Assert.Contains("R2_WEBSOCKET_READINESS='maybe' must be seed or fixed", error.Message);
        Assert.Contains("AGENT_EVENT_DELAY='250' is not a duration", error.Message);
    }

    [Theory]
    [InlineData("HEARTBEAT_INTERVAL", "99999999999999m", "HEARTBEAT_INTERVAL='99999999999999m' is too long: a duration setting is at most 1440m (one day)")]
    [InlineData("DATABASE_INIT_TIMEOUT", "50000m", "DATABASE_INIT_TIMEOUT='50000m' is too long: a duration setting is at most 1440m (one day)")]
    [InlineData("AGENT_EVENT_DELAY", "86400001ms", "AGENT_EVENT_DELAY='86400001ms' is too long: a duration setting is at most 1440m (one day)")]
    [InlineData("WEBSOCKET_MAX_MESSAGE_SIZE", "16777217", "WEBSOCKET_MAX_MESSAGE_SIZE='16777217' is too large: at most 16777216 bytes (16 MiB)")]
    [InlineData("WEBSOCKET_MAX_MESSAGE_SIZE", "99999999999999999999", "WEBSOCKET_MAX_MESSAGE_SIZE='99999999999999999999' is too large: at most 16777216 bytes (16 MiB)")]
    [InlineData("REDIS_READY_RETRIES", "1001", "REDIS_READY_RETRIES='1001' is too large: at most 1000")]
    public void Values_past_what_the_backend_can_use_are_refused_with_the_limit(string key, string value, string message)
    {
        var error = Assert.Throws<FormatException>(() => Read((key, value)));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_limits_themselves_are_accepted()
    {
        var settings = Read(("HEARTBEAT_INTERVAL", "1440m"), ("WEBSOCKET_MAX_MESSAGE_SIZE", "16777216"), ("REDIS_READY_RETRIES", "1000"));

        Assert.Equal(TimeSpan.FromDays(1), settings.HeartbeatInterval);
        Assert.Equal(16 * 1024 * 1024, settings.MaxMessageSize);
        Assert.Equal(1000, settings.RedisReadyRetries);
    }

    [Fact]
    public void A_jwt_secret_too_short_for_hs256_is_refused_naming_its_variable()
    {
        var error = Assert.Throws<FormatException>(() => Read(("ENVIRONMENT", "staging"), ("JWT_SECRET_STAGING", "short")));

        Assert.Contains("JWT_SECRET_STAGING is 5 bytes long: an HS256 secret must be at least 32 bytes (256 bits)", error.Message);
    }

    [Fact]
    public void The_redis_clients_timings_are_settings_and_become_its_options()
    {
        var settings = Read(("REDIS_URL", "redis://:s%40cret@127.0.0.1:7000/2"), ("REDIS_CONNECT_TIMEOUT", "300ms"), ("REDIS_RECONNECT_BACKOFF", "50ms"),
            ("REDIS_RECONNECT_BACKOFF_MAX", "200ms"), ("REDIS_HEARTBEAT_INTERVAL", "50ms"), ("REDIS_KEEPALIVE", "15s"), ("REDIS_COMMAND_TIMEOUT", "2s"));

        var options = Replica.Staging.Backend.Redis.RedisClientConfiguration.For(settings);

        Assert.Equal("127.0.0.1:7000", Assert.Single(options.EndPoints).ToString());
        Assert.Equal(2, options.DefaultDatabase);
        Assert.Equal("s@cret", options.Password);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(1, options.ConnectRetry);
        Assert.Equal(300, options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.HeartbeatInterval);
        Assert.Equal(15, options.KeepAlive);
        Assert.Equal(2000, options.AsyncTimeout);
        Assert.Equal(2000, options.SyncTimeout);
        Assert.IsType<StackExchange.Redis.ExponentialRetry>(options.ReconnectRetryPolicy);
        Assert.False(options.BacklogPolicy.QueueWhileDisconnected);
    }

    [Fact]
    public void The_redis_clients_defaults_keep_the_backoff_as_written()
    {
        var settings = Read();

        Assert.Equal(TimeSpan.FromSeconds(5), settings.RedisConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.RedisReconnectBackoff);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.RedisReconnectBackoffMax);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.RedisHeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.RedisKeepAlive);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RedisCommandTimeout);
    }

    [Theory]
    [InlineData("REDIS_KEEPALIVE", "1500ms", "REDIS_KEEPALIVE='1500ms' must be whole seconds")]
    [InlineData("REDIS_KEEPALIVE", "0", "REDIS_KEEPALIVE='0' is not a positive duration")]
    [InlineData("REDIS_HEARTBEAT_INTERVAL", "0", "REDIS_HEARTBEAT_INTERVAL='0' is not a positive duration")]
    [InlineData("REDIS_COMMAND_TIMEOUT", "soon", "REDIS_COMMAND_TIMEOUT='soon' is not a positive duration")]
    [InlineData("REDIS_RECONNECT_BACKOFF_MAX", "50ms", "REDIS_RECONNECT_BACKOFF_MAX (50ms) must not be shorter than REDIS_RECONNECT_BACKOFF (100ms)")]
    public void Redis_client_timings_the_client_cannot_use_are_refused(string key, string value, string message)
    {
        var error = Assert.Throws<FormatException>(() => Read((key, value)));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task The_backend_refuses_to_start_on_a_bad_setting_and_says_which()
    {
        await using var state = new IsolatedStateStore();
        var definition = StagingTopology.Builder("staging-bad-setting", state.Root)
            .WithDeferredStart("redis").WithDeferredStart("postgres").WithDeferredStart("auth")
            .WithSetting("backend", "R1_DATABASE_MANAGER", "fixd")
            .Build();

        var error = await Assert.ThrowsAsync<ReplicaException>(() => definition.StartAsync());

        Assert.Contains("service 'backend' exited with code 2 before it was healthy", error.Message);
        Assert.Contains("R1_DATABASE_MANAGER='fixd' must be seed or fixed", error.Message);
    }

    [Fact]
    public async Task The_backend_refuses_an_overlong_duration_and_an_oversized_buffer_without_a_stack_trace()
    {
        await using var state = new IsolatedStateStore();
        var definition = StagingTopology.Builder("staging-huge-setting", state.Root)
            .WithDeferredStart("redis").WithDeferredStart("postgres").WithDeferredStart("auth")
            .WithSetting("backend", "HEARTBEAT_INTERVAL", "99999999999999m")
            .WithSetting("backend", "WEBSOCKET_MAX_MESSAGE_SIZE", "1000000000")
            .Build();

        var error = await Assert.ThrowsAsync<ReplicaException>(() => definition.StartAsync());

        Assert.Contains("service 'backend' exited with code 2 before it was healthy", error.Message);
        Assert.Contains("HEARTBEAT_INTERVAL='99999999999999m' is too long", error.Message);
        Assert.Contains("WEBSOCKET_MAX_MESSAGE_SIZE='1000000000' is too large", error.Message);
        Assert.DoesNotContain("Exception", error.Message);
        Assert.DoesNotContain("   at ", error.Message);
    }
}

using System.Diagnostics;
using Replica.Environments.HealthChecks;
using Replica.Environments.Processes;
using Replica.Environments.Runtimes;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>Replica's Redis readiness check (StackExchange.Redis) against a real redis-server: up, refusing, paused.</summary>
public sealed class RedisPingCheckTests : IAsyncLifetime
{
    private RedisEnvironment _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisEnvironment.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_running_redis_answers_pong()
    {
        var result = await new RedisPingCheck(_redis.Endpoint).CheckAsync(CancellationToken.None);

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal("PONG", result.Detail);
    }

    [Fact]
    public async Task A_refused_connection_fails_the_check_at_once_not_after_the_connect_timeout()
    {
        var closed = new HostEndpoint("127.0.0.1", PortAllocator.Ephemeral());
        var clock = Stopwatch.StartNew();

        var result = await new RedisPingCheck(closed).CheckAsync(CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Equal($"Redis PING {closed}: ConnectionRefused", result.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.ElapsedMilliseconds} ms: the 3 s connect timeout was sat out");
    }

    [Fact]
    public async Task A_paused_redis_fails_the_check_after_its_timeout_and_passes_once_resumed()
    {
        await _redis.Service.PauseAsync(); // the kernel still accepts connections; the handshake gets no answer
        var clock = Stopwatch.StartNew();

        var paused = await new RedisPingCheck(_redis.Endpoint).CheckAsync(CancellationToken.None);

        Assert.False(paused.Healthy);
        Assert.Equal($"Redis PING {_redis.Endpoint}: no answer within 3 s", paused.Detail);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"gave up after {clock.ElapsedMilliseconds} ms");
        await _redis.Service.ResumeAsync();
        Assert.True((await new RedisPingCheck(_redis.Endpoint).CheckAsync(CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task A_cancelled_check_ends_promptly()
    {
        await _redis.Service.PauseAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new RedisPingCheck(_redis.Endpoint).CheckAsync(cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.ElapsedMilliseconds} ms");
        await _redis.Service.ResumeAsync();
    }
}

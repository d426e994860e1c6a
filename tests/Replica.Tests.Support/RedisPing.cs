using System.Net.Sockets;
using Replica.Environments.HealthChecks;
using StackExchange.Redis;

namespace Replica.Tests.Support;

/// <summary>
/// Redis from the test's side with StackExchange.Redis (the one Redis client in the tree), on connections of its own:
/// one attempt within the timeout, then PING. A refused connection throws its <see cref="SocketException"/>; a server
/// that accepts but does not answer (paused) throws <see cref="TimeoutException"/>.
/// </summary>
public static class RedisPing
{
    public static Task<string> PingAsync(int port, TimeSpan timeout) => SendAsync("127.0.0.1", port, timeout);

    /// <summary>PING on a connection of its own; returns the reply ("PONG").</summary>
    public static async Task<string> SendAsync(string host, int port, TimeSpan timeout)
    {
        await using var redis = await ConnectAsync(host, port, timeout);
        return await PingAsync(redis, timeout);
    }

    /// <summary>PING on an open connection; returns the reply ("PONG").</summary>
    public static async Task<string> PingAsync(IConnectionMultiplexer redis, TimeSpan timeout) =>
        (await redis.GetDatabase().ExecuteAsync("PING").WaitAsync(timeout)).ToString();

    /// <summary>A connected multiplexer (the caller disposes it); commands wait up to <paramref name="commandTimeout"/> (30 s: a test may hold a reply back).</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(string host, int port, TimeSpan timeout, TimeSpan? commandTimeout = null) =>
        RedisPingCheck.ConnectOnceAsync(new ConfigurationOptions
        {
            EndPoints = { { host, port } },
            ConnectTimeout = (int)timeout.TotalMilliseconds,
            AsyncTimeout = (int)(commandTimeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds,
        }, CancellationToken.None);
}

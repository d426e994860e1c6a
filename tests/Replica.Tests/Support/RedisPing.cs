using System.Net.Sockets;
using StackExchange.Redis;

namespace Replica.Tests.Support;

/// <summary>
/// Redis from the test's side, independent of Replica's own probes, with StackExchange.Redis (the one Redis client in
/// the tree): one connection attempt within the timeout, then PING. A refused connection throws its
/// <see cref="SocketException"/>; a server that accepts but does not answer (paused) throws <see cref="TimeoutException"/>.
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

    /// <summary>Retries until Redis answers: right after start the port is published before Redis listens.</summary>
    public static async Task<string> PingWhenReadyAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await PingAsync(port, TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is SocketException or TimeoutException or RedisException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// A connected multiplexer (the caller disposes it), made in one attempt; commands time out after
    /// <paramref name="commandTimeout"/> (default 30 s, so a test can hold a reply back on purpose).
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string host, int port, TimeSpan timeout, TimeSpan? commandTimeout = null)
    {
        var firstAttempt = new TaskCompletionSource<ConnectionAttemptCompletedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new ConfigurationOptions
        {
            EndPoints = { { host, port } },
            AbortOnConnectFail = false,
            ConnectRetry = 1,
            ConnectTimeout = (int)timeout.TotalMilliseconds,
            AsyncTimeout = (int)(commandTimeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds,
        };
        options.ConnectionAttemptCompleted += (_, attempt) =>
        {
            if (attempt.ConnectionType == ConnectionType.Interactive)
            {
                firstAttempt.TrySetResult(attempt);
            }
        };
        var connecting = ConnectionMultiplexer.ConnectAsync(options);
        // The first attempt's outcome decides a refusal at once (the connect itself may wait out its whole timeout).
        if (await Task.WhenAny(connecting, firstAttempt.Task) == firstAttempt.Task && firstAttempt.Task.Result is { IsSuccess: false } failed)
        {
            _ = connecting.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw failed.Exception as SocketException ?? (Exception)new TimeoutException($"redis {host}:{port}: {failed.FailureType} during {failed.Stage}");
        }
        var redis = await connecting;
        if (redis.IsConnected)
        {
            return redis;
        }
        await redis.DisposeAsync();
        throw new TimeoutException($"redis {host}:{port}: no answer within {timeout.TotalMilliseconds:0} ms");
    }
}

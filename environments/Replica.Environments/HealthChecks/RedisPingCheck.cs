using System.Net.Sockets;
using Replica.Environments.Runtimes;
using StackExchange.Redis;

namespace Replica.Environments.HealthChecks;

/// <summary>
/// Redis is ready when it completes a connection handshake and answers PING, as `redis-cli ping` checks — through
/// StackExchange.Redis, on a connection of the check's own (nothing stays open between checks), all within 3 s.
/// </summary>
public sealed class RedisPingCheck(HostEndpoint endpoint) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public string Description => $"Redis PING {endpoint}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { endpoint.Host, endpoint.Port } },
            ConnectTimeout = (int)Timeout.TotalMilliseconds,
            AsyncTimeout = (int)Timeout.TotalMilliseconds,
            // One interactive connection: no pub/sub connection for the configuration channel.
            ConfigurationChannel = "",
            CommandMap = CommandMap.Create(["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"], available: false),
        };
        try
        {
            await using var redis = await ConnectOnceAsync(options, cancellationToken);
            var reply = await redis.GetDatabase().ExecuteAsync("PING").WaitAsync(cancellationToken);
            return reply.ToString() == "PONG" ? HealthCheckResult.Ok("PONG") : HealthCheckResult.Fail($"PING answered '{reply}'");
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or RedisException)
        {
            return HealthCheckResult.Fail($"Redis PING {endpoint}: {ex switch
            {
                SocketException socket => socket.SocketErrorCode.ToString(),
                TimeoutException => $"no answer within {Timeout.TotalSeconds:0} s",
                RedisServerException => ex.Message, // LOADING, NOAUTH, ...
                _ => ex.GetType().Name,
            }}");
        }
    }

    /// <summary>
    /// One connection attempt, within the options' ConnectTimeout; the caller disposes the connected multiplexer. A
    /// refused connection throws its <see cref="SocketException"/> as soon as the attempt fails (the library's connect
    /// can otherwise sit out its whole timeout); a server that accepts but does not answer throws
    /// <see cref="TimeoutException"/>. Whatever is left of a failed or cancelled attempt is closed once it ends.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectOnceAsync(ConfigurationOptions options, CancellationToken cancellationToken)
    {
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 1;
        var firstAttempt = new TaskCompletionSource<ConnectionAttemptCompletedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        options.ConnectionAttemptCompleted += (_, attempt) =>
        {
            if (attempt.ConnectionType == ConnectionType.Interactive)
            {
                firstAttempt.TrySetResult(attempt);
            }
        };
        var timeout = TimeSpan.FromMilliseconds(options.ConnectTimeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var connecting = ConnectionMultiplexer.ConnectAsync(options);
        try
        {
            // Connecting takes no cancellation token: the wait for it does.
            if (await Task.WhenAny(connecting, firstAttempt.Task).WaitAsync(cancellationToken) == firstAttempt.Task && firstAttempt.Task.Result is { IsSuccess: false } failed)
            {
                throw Failure(failed);
            }
            var redis = await connecting.WaitAsync(cancellationToken);
            if (redis.IsConnected)
            {
                return redis;
            }
            // Back before the timeout: the attempt failed, and its outcome (raised on a worker thread) is on its way.
            // Back at the timeout: the server accepted and never answered, which no outcome reports.
            if (clock.Elapsed < timeout && await firstAttempt.Task.WaitAsync(timeout - clock.Elapsed, cancellationToken) is { IsSuccess: false } late)
            {
                throw Failure(late);
            }
            throw new TimeoutException($"no answer within {options.ConnectTimeout} ms");
        }
        catch
        {
            _ = connecting.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    private static Exception Failure(ConnectionAttemptCompletedEventArgs failed) => failed.Exception as SocketException
        ?? (Exception)new RedisConnectionException(failed.FailureType, CommandFlags.None,
            $"{failed.FailureType} during {failed.Stage.ToString().ToLowerInvariant()}", failed.Exception, CommandStatus.Unknown);
}

using System.Net.Sockets;
using Replica.Environments.Runtimes;
using StackExchange.Redis;

namespace Replica.Environments.Readiness;

/// <summary>
/// Redis is ready when it completes a connection handshake and answers PING, as `redis-cli ping` checks — through
/// StackExchange.Redis, on a connection of the check's own (a probe keeps nothing open between checks), all within 3 s.
/// A refused connection fails the check at once: the first attempt's outcome decides, not the end of the connect wait.
/// </summary>
public sealed class RedisPingProbe(HostEndpoint endpoint) : IHealthProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public string Description => $"Redis PING {endpoint}";

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var firstAttempt = new TaskCompletionSource<ConnectionAttemptCompletedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new ConfigurationOptions
        {
            EndPoints = { { endpoint.Host, endpoint.Port } },
            AbortOnConnectFail = false,
            ConnectRetry = 1,
            ConnectTimeout = (int)Timeout.TotalMilliseconds,
            AsyncTimeout = (int)Timeout.TotalMilliseconds,
            // One interactive connection: no pub/sub connection for the configuration channel.
            ConfigurationChannel = "",
            CommandMap = CommandMap.Create(["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"], available: false),
        };
        options.ConnectionAttemptCompleted += (_, attempt) =>
        {
            if (attempt.ConnectionType == ConnectionType.Interactive)
            {
                firstAttempt.TrySetResult(attempt);
            }
        };
        var connecting = ConnectionMultiplexer.ConnectAsync(options);
        try
        {
            // Connecting takes no cancellation token: the wait for it does, and whatever it made is closed below.
            if (await Task.WhenAny(connecting, firstAttempt.Task).WaitAsync(cancellationToken) == firstAttempt.Task && !firstAttempt.Task.Result.IsSuccess)
            {
                CloseWhenMade(connecting);
                return ProbeResult.Fail($"Redis PING {endpoint}: {Describe(firstAttempt.Task.Result)}");
            }
            await using var redis = await connecting.WaitAsync(cancellationToken);
            if (!redis.IsConnected)
            {
                return ProbeResult.Fail($"Redis PING {endpoint}: no answer within {Timeout.TotalSeconds:0} s");
            }
            var reply = await redis.GetDatabase().ExecuteAsync("PING").WaitAsync(cancellationToken);
            return reply.ToString() == "PONG" ? ProbeResult.Ok("PONG") : ProbeResult.Fail($"PING answered '{reply}'");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CloseWhenMade(connecting);
            throw;
        }
        catch (TimeoutException)
        {
            return ProbeResult.Fail($"Redis PING {endpoint}: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (RedisException ex)
        {
            // A server error (LOADING, NOAUTH, ...) or the connection lost between handshake and PING.
            return ProbeResult.Fail($"Redis PING {endpoint}: {(ex is RedisServerException ? ex.Message : ex.GetType().Name)}");
        }
    }

    private static string Describe(ConnectionAttemptCompletedEventArgs attempt) => attempt.Exception is SocketException socket
        ? socket.SocketErrorCode.ToString()
        : $"{attempt.FailureType} during {attempt.Stage.ToString().ToLowerInvariant()}";

    private static void CloseWhenMade(Task<ConnectionMultiplexer> connecting) =>
        _ = connecting.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Replica.Staging.Backend.Redis;

/// <summary>
/// A small Redis client (StackExchange.Redis cannot be restored here): one pipelined connection, kept up in the
/// background — connect, and after any failure or loss reconnect with exponential backoff. <see cref="IsConnected"/>
/// is honest: true only while a connection that answered PING is open. Commands never wait for a connection; without
/// one they fail at once with <see cref="RedisConnectionException"/>, so callers decide whether to wait
/// (<see cref="WaitConnectedAsync"/>) or go on without Redis.
/// </summary>
public sealed class RedisClient : IAsyncDisposable
{
    private readonly RedisClientOptions _options;
    private readonly ILogger _logger;
    private readonly Action<string, string>? _onMessage;
    private readonly Func<RedisConnection, CancellationToken, Task>? _onConnected;
    private readonly CancellationTokenSource _stopping = new();
    private RedisConnection? _connection;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _maintainer;

    public RedisClient(RedisClientOptions options, ILogger logger)
        : this(options, logger, null, null)
    {
    }

    internal RedisClient(RedisClientOptions options, ILogger logger, Action<string, string>? onMessage, Func<RedisConnection, CancellationToken, Task>? onConnected)
    {
        _options = options;
        _logger = logger;
        _onMessage = onMessage;
        _onConnected = onConnected;
    }

    public RedisEndpoint Endpoint => _options.Endpoint;

    public bool IsConnected => Volatile.Read(ref _connection) is { IsOpen: true };

    /// <summary>Why the client is not connected (the last failure), or null while connected.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts connecting in the background; returns at once.</summary>
    public void Start()
    {
        lock (_stopping)
        {
            _maintainer ??= Task.Run(() => MaintainAsync(_stopping.Token));
        }
    }

    /// <summary>Completes when a connection is up (at once if it is).</summary>
    public async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (!IsConnected)
        {
            var signal = Volatile.Read(ref _connected).Task;
            if (signal.IsCompleted)
            {
                // The connection has just dropped and the signal is being replaced.
                await Task.Delay(5, cancellationToken);
                continue;
            }
            await signal.WaitAsync(cancellationToken);
        }
    }

    public Task<object?> ExecuteAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is not { IsOpen: true })
        {
            throw new RedisConnectionException($"redis {Endpoint} not connected{(LastError is null ? "" : $" ({LastError})")}");
        }
        return connection.ExecuteAsync(arguments, cancellationToken);
    }

    /// <summary>PING; returns the round trip.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var reply = await ExecuteAsync(["PING"], cancellationToken);
        return reply is "PONG" ? clock.Elapsed : throw new RedisServerException($"PING answered '{reply}'");
    }

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        (string?)await ExecuteAsync(["GET", key], cancellationToken);

    /// <summary>SET, with an expiry (PX, to the millisecond) when given.</summary>
    public async Task SetAsync(string key, string value, TimeSpan? expiry = null, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(expiry is { } e
            ? ["SET", key, value, "PX", Math.Max(1, (long)e.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]
            : ["SET", key, value], cancellationToken);

    /// <summary>PUBLISH; returns how many subscribers received the message.</summary>
    public async Task<long> PublishAsync(string channel, string message, CancellationToken cancellationToken = default) =>
        (long)(await ExecuteAsync(["PUBLISH", channel, message], cancellationToken))!;

    private async Task MaintainAsync(CancellationToken stopping)
    {
        var backoff = _options.ReconnectBackoff;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            RedisConnection? connection = null;
            try
            {
                connection = await RedisConnection.OpenAsync(_options.Endpoint, _options.ConnectTimeout, _onMessage, stopping);
                if (_onConnected is not null)
                {
                    await _onConnected(connection, stopping);
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Disposed while connecting: however the attempt ended, it is over.
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
                break;
            }
            catch (Exception ex)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
                LastError = ex.Message;
                if (failures++ == 0)
                {
                    _logger.LogInformation("redis {Endpoint}: not connected ({Error}); retrying with backoff {Backoff} ms up to {Max} ms",
                        Endpoint, ex.Message, _options.ReconnectBackoff.TotalMilliseconds, _options.ReconnectBackoffMax.TotalMilliseconds);
                }
                await DelayAsync(backoff, stopping);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.ReconnectBackoffMax.Ticks));
                continue;
            }

            Volatile.Write(ref _connection, connection);
            LastError = null;
            Volatile.Read(ref _connected).TrySetResult();
            _logger.LogInformation("redis {Endpoint}: connected{After}", Endpoint, failures > 0 ? $" after {failures} failed attempt(s)" : "");
            failures = 0;
            backoff = _options.ReconnectBackoff;

            string reason;
            try
            {
                reason = await connection.Closed.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Volatile.Write(ref _connection, null);
            Volatile.Write(ref _connected, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            LastError = reason;
            _logger.LogWarning("redis {Endpoint}: connection lost ({Reason}); reconnecting", Endpoint, reason);
            await connection.DisposeAsync();
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task? maintainer;
        lock (_stopping)
        {
            maintainer = _maintainer;
        }
        if (maintainer is not null)
        {
            await maintainer;
        }
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
        _stopping.Dispose();
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Configuration;
using StackExchange.Redis;

namespace Replica.Staging.Backend.Redis;

/// <summary>
/// The backend's one connection to Redis: a single StackExchange.Redis <see cref="ConnectionMultiplexer"/> for the
/// process (<see cref="RedisClientConfiguration"/>), made in the background once the server accepts connections (the
/// backend listens first and never waits for Redis to start; until then it retries with REDIS_RECONNECT_BACKOFF) and
/// then kept up by the multiplexer itself. <see cref="IsConnected"/> is the multiplexer's own connected state: true
/// only while a connection that completed the Redis handshake is open.
/// Commands never wait for a connection; without one they fail at once with <see cref="RedisConnectionException"/>,
/// so callers decide whether to wait (<see cref="WaitConnectedAsync"/>) or go on without Redis.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly BackendSettings _settings;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private ConnectionMultiplexer? _multiplexer;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _connecting;
    private int _failedAttempts;
    private volatile string? _lastError;

    public RedisConnection(BackendSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        Endpoint = RedisEndpoint.Parse(settings.RedisUrl);
    }

    public RedisEndpoint Endpoint { get; }

    /// <summary>The multiplexer's connected state (false until the first connect has been made).</summary>
    public bool IsConnected => Volatile.Read(ref _multiplexer) is { IsConnected: true };

    /// <summary>Why Redis is not connected (the last failed attempt or lost connection), or null while connected.</summary>
    public string? LastError => IsConnected ? null : _lastError ?? "not connected yet";

    /// <summary>The database of REDIS_URL; commands on it fail at once with <see cref="RedisConnectionException"/> while not connected.</summary>
    public IDatabase Database => (Volatile.Read(ref _multiplexer) ?? throw NotConnected()).GetDatabase();

    /// <summary>Starts connecting in the background; returns at once.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _connecting ??= Task.Run(() => ConnectAsync(_stopping.Token));
        }
    }

    /// <summary>Completes when Redis is connected (at once if it is).</summary>
    public async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (IsConnected)
            {
                return;
            }
            try
            {
                // Woken by every connect, failure and restore; the heartbeat-long bound only guards against a
                // transition the multiplexer made without an event.
                await changed.WaitAsync(_settings.RedisHeartbeatInterval, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>PING; returns the round trip. Fails with a <see cref="RedisException"/> when not connected or not answered in time.</summary>
    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default) => Database.PingAsync().WaitAsync(cancellationToken);

    /// <summary>A Redis failure in a few words, for logs and health checks (the library's own messages run to a paragraph).</summary>
    public string Describe(Exception error) => error switch
    {
        RedisTimeoutException => $"no answer within REDIS_COMMAND_TIMEOUT {DurationSetting.Format(_settings.RedisCommandTimeout)}",
        RedisConnectionException { InnerException: SocketException socket } => socket.SocketErrorCode.ToString(),
        RedisConnectionException connection => $"not connected ({connection.FailureType}{(_lastError is { } last ? $"; {last}" : "")})",
        RedisServerException server => server.Message,
        _ => error.Message,
    };

    private async Task ConnectAsync(CancellationToken stopping)
    {
        // Made here, in the background: no part of the library runs before the backend listens.
        var options = RedisClientConfiguration.For(_settings);
        // Every attempt, the first one made inside ConnectAsync included (ConnectionFailed would miss those).
        options.ConnectionAttemptCompleted += OnAttemptCompleted;
        var backoff = _settings.RedisReconnectBackoff;
        while (true)
        {
            ConnectionMultiplexer multiplexer;
            var clock = Stopwatch.StartNew();
            try
            {
                await WaitUntilAcceptingAsync(stopping);
                clock.Restart();
                // With AbortOnConnectFail off this returns after one attempt whatever its outcome; the multiplexer
                // then keeps reconnecting by itself, on its heartbeat.
                multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The server refused or did not accept in time (or, rarely, the multiplexer could not be made at
                // all): nothing awaits this task, so say why and try again after the backoff.
                _lastError = ex switch
                {
                    SocketException socket => socket.SocketErrorCode.ToString(),
                    OperationCanceledException => $"no answer within REDIS_CONNECT_TIMEOUT {DurationSetting.Format(_settings.RedisConnectTimeout)}",
                    _ => ex.Message,
                };
                if (Interlocked.Increment(ref _failedAttempts) == 1)
                {
                    _logger.LogInformation("redis {Endpoint}: not connected ({Error}); retrying with backoff {Backoff} up to {Max}",
                        Endpoint, _lastError, DurationSetting.Format(_settings.RedisReconnectBackoff), DurationSetting.Format(_settings.RedisReconnectBackoffMax));
                }
                Signal();
                try
                {
                    await Task.Delay(backoff, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _settings.RedisReconnectBackoffMax.Ticks));
                continue;
            }
            multiplexer.ConnectionFailed += OnConnectionFailed;
            multiplexer.ConnectionRestored += OnConnectionRestored;
            lock (_gate)
            {
                if (stopping.IsCancellationRequested)
                {
                    // Disposed while connecting: the multiplexer is this task's to close.
                    multiplexer.Dispose();
                    return;
                }
                Volatile.Write(ref _multiplexer, multiplexer);
            }
            // A failed handshake is reported (and logged) by its own attempt event; one still waiting for the
            // server's answer reports nothing, so it is said here.
            if (!multiplexer.IsConnected && clock.Elapsed >= _settings.RedisConnectTimeout)
            {
                _lastError = $"no answer within REDIS_CONNECT_TIMEOUT {DurationSetting.Format(_settings.RedisConnectTimeout)}";
                _logger.LogInformation("redis {Endpoint}: not connected ({Error}); reconnecting in the background, backoff {Backoff} up to {Max}",
                    Endpoint, _lastError, DurationSetting.Format(_settings.RedisReconnectBackoff), DurationSetting.Format(_settings.RedisReconnectBackoffMax));
            }
            Signal();
            return;
        }
    }

    /// <summary>
    /// Completes once the server accepts a TCP connection (closed at once), within REDIS_CONNECT_TIMEOUT. The
    /// multiplexer is made only then: StackExchange.Redis's first connect, started while the server refuses, sometimes
    /// makes no further attempt until its whole ConnectTimeout has passed even when the server came up meanwhile (6 of
    /// 40 tries on this machine), which would hold R2's fixed path back by seconds. Once made, it reconnects by itself.
    /// </summary>
    private async Task WaitUntilAcceptingAsync(CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_settings.RedisConnectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Endpoint.Host, Endpoint.Port, deadline.Token);
    }

    private void OnAttemptCompleted(object? sender, ConnectionAttemptCompletedEventArgs attempt)
    {
        if (attempt.ConnectionType != ConnectionType.Interactive)
        {
            return;
        }
        if (attempt.IsSuccess)
        {
            var failed = Interlocked.Exchange(ref _failedAttempts, 0);
            _lastError = null;
            _logger.LogInformation("redis {Endpoint}: connected{After}", Endpoint, failed > 0 ? $" after {failed} failed attempt(s)" : "");
        }
        else
        {
            _lastError = DescribeAttempt(attempt);
            if (Interlocked.Increment(ref _failedAttempts) == 1)
            {
                _logger.LogInformation("redis {Endpoint}: not connected ({Error}); retrying with backoff {Backoff} up to {Max}",
                    Endpoint, _lastError, DurationSetting.Format(_settings.RedisReconnectBackoff), DurationSetting.Format(_settings.RedisReconnectBackoffMax));
            }
        }
        Signal();
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs failure)
    {
        if (failure.ConnectionType != ConnectionType.Interactive)
        {
            return;
        }
        _lastError = failure.Exception is { InnerException: SocketException socket } ? socket.SocketErrorCode.ToString() : failure.FailureType.ToString();
        _logger.LogWarning("redis {Endpoint}: connection lost ({Reason}); reconnecting", Endpoint, _lastError);
        Signal();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs restored) => Signal();

    private string DescribeAttempt(ConnectionAttemptCompletedEventArgs attempt) => attempt switch
    {
        { Exception: SocketException socket } => socket.SocketErrorCode.ToString(),
        // Accepted but the handshake never completed: the library abandons it as ConnectionDisposed, UnableToConnect or
        // SocketFailure depending on which of its timers notices first (all three seen against a paused server).
        { Stage: ConnectionAttemptStage.Handshake, Exception: not RedisServerException } =>
            $"no answer within REDIS_CONNECT_TIMEOUT {DurationSetting.Format(_settings.RedisConnectTimeout)} (handshake: {attempt.FailureType})",
        { Exception: RedisServerException server } => server.Message,
        _ => $"{attempt.FailureType} during {attempt.Stage.ToString().ToLowerInvariant()}",
    };

    /// <summary>Wakes every <see cref="WaitConnectedAsync"/> to look again.</summary>
    private void Signal() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private RedisConnectionException NotConnected() =>
        new(ConnectionFailureType.UnableToConnect, CommandFlags.None, $"redis {Endpoint} not connected ({LastError})", null, CommandStatus.Unknown);

    /// <summary>Closes the multiplexer; a connect still in progress closes its own when it returns.</summary>
    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer? multiplexer;
        lock (_gate)
        {
            _stopping.Cancel();
            multiplexer = Interlocked.Exchange(ref _multiplexer, null);
        }
        if (multiplexer is not null)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            await multiplexer.DisposeAsync();
        }
        Signal();
    }
}

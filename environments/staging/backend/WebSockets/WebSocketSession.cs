using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Protocol;
using Replica.Staging.Backend.Redis;
using Replica.Staging.Common;
using StackExchange.Redis;

namespace Replica.Staging.Backend.WebSockets;

/// <summary>
/// One accepted, ready WebSocket: the welcome frame, the heartbeat (a ping at once and every HEARTBEAT_INTERVAL), and
/// the receive loop — messages up to WEBSOCKET_MAX_MESSAGE_SIZE bytes go to the router, larger ones are read to
/// their end, dropped and answered with MESSAGE_TOO_LARGE. Sends are serialised (heartbeat, replies and agent runs
/// share the socket). The connection is registered in Redis (ws:connection:ID) while open, best effort.
/// </summary>
public sealed class WebSocketSession
{
    private readonly WebSocket _socket;
    private readonly BackendSettings _settings;
    private readonly ServerFrames _frames;
    private readonly ClientMessageRouter _router;
    private readonly RedisConnection _redis;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _ended = new();
    private readonly List<Task> _work = [];
    private bool _closeSent;

    public WebSocketSession(WebSocket socket, AuthenticatedUser user, BackendSettings settings, ServerFrames frames, ClientMessageRouter router,
        RedisConnection redis, TimeProvider clock, ILogger logger)
    {
        _clock = clock;
        _socket = socket;
        User = user;
        _settings = settings;
        _frames = frames;
        _router = router;
        _redis = redis;
        _logger = logger;
    }

    public string Id { get; } = $"conn_{Guid.NewGuid():N}";

    public AuthenticatedUser User { get; }

    /// <summary>Where the open connection is registered in Redis (the user id, expiring after two heartbeat intervals).</summary>
    public string ConnectionKey => $"ws:connection:{Id}";

    /// <summary>Cancelled when the session ends: agent runs and the heartbeat stop with it.</summary>
    public CancellationToken Ended => _ended.Token;

    public async Task RunAsync()
    {
        try
        {
            await SendAsync(_frames.Welcome(Id, User.UserId, _settings.Environment, _settings.HeartbeatInterval, _settings.MaxMessageSize));
            await SendAsync(_frames.Ping());
            Track(HeartbeatAsync(_ended.Token));
            Track(RegisterAsync());
            await ReceiveLoopAsync();
        }
        finally
        {
            await _ended.CancelAsync();
            Task[] work;
            lock (_work)
            {
                work = [.. _work];
            }
            try
            {
                await Task.WhenAll(work);
            }
            catch (Exception)
            {
                // Runs end by cancellation when their client leaves; nothing to report.
            }
            _ = UnregisterAsync();
        }
    }

    /// <summary>Keeps a task that belongs to this session (an agent run), so the session's end waits for it.</summary>
    public void Track(Task task)
    {
        lock (_work)
        {
            _work.RemoveAll(t => t.IsCompleted);
            _work.Add(task);
        }
    }

    /// <summary>Sends one frame; false when the socket is no longer open for sending (the client left or we closed).</summary>
    public async Task<bool> SendAsync(JsonObject frame)
    {
        // The default options, as the frames always had: unlike the HTTP bodies, they escape "é" and "<" (\u00E9, \u003C).
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, StagingJsonContext.Default.JsonObject);
        await _sendLock.WaitAsync();
        try
        {
            if (_closeSent || _socket.State != WebSocketState.Open)
            {
                return false;
            }
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Starts the closing handshake (shutdown: 1001); the receive loop ends when the client answers.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_closeSent || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }
            _closeSent = true;
            await _socket.CloseOutputAsync(status, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[_settings.MaxMessageSize];
        var overflow = new byte[4096];
        try
        {
            while (true)
            {
                var count = 0;
                var tooLarge = false;
                ValueWebSocketReceiveResult result;
                WebSocketMessageType? messageType = null;
                do
                {
                    var full = count == buffer.Length;
                    result = await _socket.ReceiveAsync(full ? overflow.AsMemory() : buffer.AsMemory(count), CancellationToken.None);
                    messageType ??= result.MessageType;
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        // Answer the client's close (echoing its code) unless we started the handshake ourselves.
                        await CloseAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _socket.CloseStatusDescription ?? "");
                        return;
                    }
                    if (full)
                    {
                        tooLarge |= result.Count > 0;
                    }
                    else
                    {
                        count += result.Count;
                    }
                }
                while (!result.EndOfMessage);

                if (_closeSent)
                {
                    // Closing (token expired, shutdown): nothing more is answered; wait for the client's close.
                    continue;
                }
                if (!await StillAuthenticatedAsync())
                {
                    continue;
                }
                if (tooLarge)
                {
                    _logger.LogInformation("websocket {Id}: dropped a message larger than {Max} bytes", Id, _settings.MaxMessageSize);
                    await SendAsync(_frames.ErrorMessage("MESSAGE_TOO_LARGE", $"Message exceeds max_message_size ({_settings.MaxMessageSize} bytes)"));
                    continue;
                }
                await _router.HandleAsync(buffer.AsMemory(0, count), messageType.Value, this);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The client went away without a closing handshake, or the WebSocket layer failed the connection itself
            // (1007 for a text message that is not UTF-8: it sends that close and aborts the connection).
        }
    }

    private async Task HeartbeatAsync(CancellationToken ended)
    {
        using var timer = new PeriodicTimer(_settings.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ended))
            {
                if (!await StillAuthenticatedAsync() || !await SendAsync(_frames.Ping()))
                {
                    return;
                }
                // Awaited: the session's end waits for the heartbeat, so this SET is on the wire before the DEL (or
                // never sent, when the session ends first) and cannot leave a stale ws:connection key behind.
                await RegisterAsync(ended);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Once the token has expired the connection is closed 1008, the code for auth failing after accept.</summary>
    private async Task<bool> StillAuthenticatedAsync()
    {
        if (User.ExpiresAt is not { } expiresAt || _clock.GetUtcNow() < expiresAt)
        {
            return true;
        }
        _logger.LogInformation("websocket {Id}: token of {User} expired; closing 1008", Id, User.UserId);
        await CloseAsync(WebSocketCloseStatus.PolicyViolation, "Authentication failed: token expired");
        return false;
    }

    private async Task RegisterAsync(CancellationToken cancellationToken = default)
    {
        if (!_redis.IsConnected)
        {
            return;
        }
        try
        {
            await _redis.Database.StringSetAsync(ConnectionKey, User.UserId, _settings.HeartbeatInterval * 2).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            _logger.LogDebug("websocket {Id}: not registered in redis: {Error}", Id, _redis.Describe(ex));
        }
    }

    private async Task UnregisterAsync()
    {
        if (!_redis.IsConnected)
        {
            return;
        }
        try
        {
            await _redis.Database.KeyDeleteAsync(ConnectionKey);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            _logger.LogDebug("websocket {Id}: not unregistered in redis: {Error}", Id, _redis.Describe(ex));
        }
    }
}

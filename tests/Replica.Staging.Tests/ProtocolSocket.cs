using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Replica.Environments.Runtimes;

namespace Replica.Staging.Tests;

/// <summary>
/// A real <see cref="ClientWebSocket"/> to the backend with a background reader: frames are queued as they arrive, so
/// a test can wait for the next one with a deadline (or watch for silence) without cancelling a receive — which would
/// abort the socket. The close the server sent is kept.
/// </summary>
public sealed class ProtocolSocket : IAsyncDisposable
{
    private readonly Channel<(JsonObject Frame, DateTime At)> _frames = Channel.CreateUnbounded<(JsonObject, DateTime)>();
    private readonly Task _reader;

    private ProtocolSocket(ClientWebSocket socket)
    {
        Socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public ClientWebSocket Socket { get; }

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    /// <summary>When the server's close frame arrived (null while open).</summary>
    public DateTime? ClosedAt { get; private set; }

    public static async Task<ProtocolSocket> ConnectAsync(HostEndpoint backend, string? token = null, string path = "/ws",
        Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{backend}{path}"), timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new ProtocolSocket(socket);
    }

    /// <summary>Attempts a handshake that must fail; returns the HTTP status the server answered with.</summary>
    public static async Task<HttpStatusCode> RejectedHandshakeAsync(HostEndpoint backend, string path = "/ws", Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{backend}{path}"), timeout.Token));
        return socket.HttpStatusCode;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendAsync(JsonObject message) => SendAsync(message.ToJsonString());

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next frame; fails if none arrives in time or the server closed the socket first.</summary>
    public async Task<JsonObject> ReceiveAsync(TimeSpan? timeout = null) => (await ReceiveTimedAsync(timeout)).Frame;

    public async Task<(JsonObject Frame, DateTime At)> ReceiveTimedAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _frames.Reader.ReadAsync(deadline.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the server closed the socket ({(int?)CloseStatus} '{CloseDescription}') instead of sending a frame");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no frame within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0.#} s");
        }
    }

    /// <summary>Frames that arrive within <paramref name="window"/> (none, when the server stays silent).</summary>
    public async Task<IReadOnlyList<JsonObject>> CollectAsync(TimeSpan window)
    {
        var frames = new List<JsonObject>();
        using var deadline = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                frames.Add((await _frames.Reader.ReadAsync(deadline.Token)).Frame);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return frames;
        }
    }

    /// <summary>Waits for the server's close frame (frames before it are skipped) and returns its code and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Description)> WaitClosedAsync(TimeSpan timeout)
    {
        await _reader.WaitAsync(timeout);
        return (CloseStatus, CloseDescription);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        ClosedAt = DateTime.UtcNow;
                        CloseStatus = result.CloseStatus;
                        CloseDescription = result.CloseStatusDescription;
                        if (Socket.State == WebSocketState.CloseReceived)
                        {
                            await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        }
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var frame = JsonNode.Parse(message.ToArray())!.AsObject();
                _frames.Writer.TryWrite((frame, DateTime.UtcNow));
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
                await _reader.WaitAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
            {
            }
        }
        Socket.Abort();
        Socket.Dispose();
        try
        {
            await _reader;
        }
        catch (Exception)
        {
        }
    }
}

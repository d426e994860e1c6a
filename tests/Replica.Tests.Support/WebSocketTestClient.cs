using System.Net.WebSockets;
using System.Text;

namespace Replica.Tests.Support;

/// <summary>A real ClientWebSocket with helpers to send and receive whole text messages.</summary>
public sealed class WebSocketTestClient : IAsyncDisposable
{
    private readonly HttpMessageInvoker? _invoker;

    private WebSocketTestClient(ClientWebSocket socket, HttpMessageInvoker? invoker = null)
    {
        Socket = socket;
        _invoker = invoker;
    }

    public ClientWebSocket Socket { get; }

    public static async Task<WebSocketTestClient> ConnectAsync(Uri proxyUrl, string path, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        var uri = new UriBuilder(proxyUrl) { Scheme = "ws", Path = path }.Uri;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new WebSocketTestClient(socket);
    }

    /// <summary>Connects to exactly <paramref name="url"/> (ws:// or wss://) through <paramref name="invoker"/>, which the client then owns.</summary>
    public static async Task<WebSocketTestClient> ConnectAsync(Uri url, HttpMessageInvoker invoker, Action<ClientWebSocketOptions> configure, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        try
        {
            await socket.ConnectAsync(url, invoker, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            invoker.Dispose();
            throw;
        }
        return new WebSocketTestClient(socket, invoker);
    }

    public Task SendAsync(string text, CancellationToken cancellationToken)
        => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>The next whole message: its text, or null when a close frame came instead (see <see cref="ClientWebSocket.CloseStatus"/>).</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
        Socket.Dispose();
        _invoker?.Dispose();
    }
}

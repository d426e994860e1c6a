using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Replica.Tests.Support;

/// <summary>
/// A real Kestrel upstream on an ephemeral loopback port. HTTP: any path answers, as JSON, what it received:
/// <c>upstream</c> (its name), <c>protocol</c>, <c>method</c>, <c>path</c>, <c>query</c>, <c>body</c> and <c>headers</c>
/// (name → values joined with ", ", names as sent); /big?bytes=N answers N bytes. WebSocket: /ws/echo echoes text, /ws/agent answers "start_agent" with
/// the five agent frames. Records what it received.
/// </summary>
public sealed class UpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UpstreamServer(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public Uri Url { get; private set; } = null!;

    public int HttpRequests => _httpRequests;

    public ConcurrentQueue<string> ReceivedMessages { get; } = new();

    public ConcurrentQueue<WebSocketCloseStatus?> ReceivedCloses { get; } = new();

    public ConcurrentQueue<IHeaderDictionary> HandshakeHeaders { get; } = new();

    private int _httpRequests;

    public static async Task<UpstreamServer> StartAsync(string name = "backend")
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new UpstreamServer(name, app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            HandshakeHeaders.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = true });
            await RunWebSocketAsync(socket, agent: context.Request.Path.StartsWithSegments("/ws/agent"), context.RequestAborted);
            return;
        }
        Interlocked.Increment(ref _httpRequests);
        if (context.Request.Path == "/big")
        {
            var size = int.Parse(context.Request.Query["bytes"]!, System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentLength = size;
            await context.Response.Body.WriteAsync(new byte[size]);
            return;
        }
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            upstream = Name,
            protocol = request.Protocol,
            method = request.Method,
            path = request.Path.Value,
            query = request.QueryString.Value,
            body,
            headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()),
        }), context.RequestAborted);
    }

    private async Task RunWebSocketAsync(WebSocket socket, bool agent, CancellationToken cancellationToken)
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
                    result = await socket.ReceiveAsync(buffer, cancellationToken);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ReceivedCloses.Enqueue(result.CloseStatus);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    return;
                }
                var text = Encoding.UTF8.GetString(message.ToArray());
                ReceivedMessages.Enqueue(text);
                if (agent && text.Contains("start_agent", StringComparison.Ordinal))
                {
                    foreach (var type in new[] { "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed" })
                    {
                        await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, run_id = "run-1" })), WebSocketMessageType.Text, true, cancellationToken);
                    }
                }
                else
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer went away (an injected reset, a test that ends): nothing to record.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

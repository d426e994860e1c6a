using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Readiness;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.WebSockets;

/// <summary>
/// /ws and /api/v1/websocket. The handshake needs a valid token (HTTP 403 otherwise, before any upgrade); the
/// subprotocol "jwt-auth" is chosen only when the client offered it bare, otherwise none. After accepting, the
/// readiness validator runs (R2); when a service is not ready the socket is closed 1011 "Service not ready: NAME".
/// </summary>
public sealed class WebSocketEndpoint(AccessTokenValidator tokens, WebSocketReadinessValidator readiness, SessionRegistry sessions,
    Func<WebSocket, AuthenticatedUser, WebSocketSession> createSession, ILogger logger)
{
    public const string AuthSubprotocol = "jwt-auth";

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await JsonResults.Detail("WebSocket upgrade expected", StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        if (!WebSocketTokenExtractor.TryFind(context.Request, offered, out var token, out var source))
        {
            logger.LogInformation("websocket: handshake rejected with 403: no token");
            await JsonResults.Detail("Authentication required", StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }
        var (user, error) = await tokens.ValidateAsync(token);
        if (user is null)
        {
            logger.LogInformation("websocket: handshake rejected with 403: {Error} (token from {Source})", error, source);
            await JsonResults.Detail($"Invalid token: {error}", StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = offered.Contains(AuthSubprotocol) ? AuthSubprotocol : null,
        });
        string? notReady;
        try
        {
            notReady = await readiness.ValidateAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        if (notReady is not null)
        {
            await CloseNotReadyAsync(socket, notReady);
            return;
        }
        var session = createSession(socket, user);
        sessions.Add(session);
        try
        {
            await session.RunAsync();
        }
        catch (Exception ex)
        {
            // A bug must cost one connection, never the process: 1011 "Internal error", as staging answered.
            logger.LogError(ex, "websocket {Id}: internal error; closing 1011", session.Id);
            await session.CloseAsync(WebSocketCloseStatus.InternalServerError, "Internal error");
        }
        finally
        {
            sessions.Remove(session);
        }
    }

    private static async Task CloseNotReadyAsync(WebSocket socket, string service)
    {
        // Wait briefly for the client's answer to the close; a client that does not answer is cut off.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, $"Service not ready: {service}", patience.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }
}

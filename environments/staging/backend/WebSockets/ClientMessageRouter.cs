using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Agents;
using Replica.Staging.Backend.Protocol;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.WebSockets;

/// <summary>
/// Answers each client message: ping → pong; user_message (and its aliases) → "Message received"; start_agent /
/// execute_agent → the installed agent handler, run alongside the receive loop; any other type → ack. A message that is
/// not a JSON text object with a string type — a binary frame, bad JSON, a key twice, text that is not valid Unicode
/// or holds NUL (<see cref="JsonInput"/>) — gets error_message FORMAT_ERROR saying what and where, and the connection
/// goes on. Every message gets at least one frame back — except start_agent under R3's seed fallback, which is the
/// incident. A message whose handling fails unexpectedly is answered INTERNAL_ERROR and logged: one bad message never
/// closes the connection (1011 stays R2's symptom alone).
/// </summary>
public sealed class ClientMessageRouter(ServerFrames frames, AgentHandlerSlot agents, ILogger logger)
{
    private static readonly HashSet<string> UserMessageTypes = ["user_message", "message", "user", "user_input", "chat_message"];
    private static readonly HashSet<string> AgentTypes = ["start_agent", "execute_agent"];

    public async Task HandleAsync(ReadOnlyMemory<byte> data, WebSocketMessageType messageType, WebSocketSession session)
    {
        try
        {
            await RouteAsync(data, messageType, session);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "websocket {Id}: a client message could not be handled; answered INTERNAL_ERROR", session.Id);
            await session.SendAsync(frames.ErrorMessage("INTERNAL_ERROR", "The message could not be handled"));
        }
    }

    private async Task RouteAsync(ReadOnlyMemory<byte> data, WebSocketMessageType messageType, WebSocketSession session)
    {
        if (messageType != WebSocketMessageType.Text)
        {
            await session.SendAsync(frames.ErrorMessage("FORMAT_ERROR", "Invalid message: binary frames are not accepted; send JSON as text"));
            return;
        }
        var (node, problem) = JsonInput.Parse(data.Span);
        if (problem is not null)
        {
            await session.SendAsync(frames.ErrorMessage("FORMAT_ERROR", problem.Type == "json_invalid"
                ? $"Invalid JSON: {problem.Message}"
                : $"Invalid message: {(problem.Location.Count == 0 ? "" : $"{problem.Path}: ")}{problem.Message}"));
            return;
        }
        if (node is not JsonObject message)
        {
            await session.SendAsync(frames.ErrorMessage("FORMAT_ERROR", "Invalid message: expected a JSON object"));
            return;
        }
        if (message["type"] is not JsonValue typeValue || typeValue.GetValueKind() != JsonValueKind.String)
        {
            await session.SendAsync(frames.ErrorMessage("FORMAT_ERROR", "Invalid message: 'type' must be a string"));
            return;
        }
        var type = typeValue.GetValue<string>();
        if (type == "ping")
        {
            await session.SendAsync(frames.Pong(session.User.UserId));
        }
        else if (UserMessageTypes.Contains(type))
        {
            await session.SendAsync(frames.MessageReceived());
        }
        else if (AgentTypes.Contains(type))
        {
            session.Track(RunAgentAsync(message, session));
        }
        else
        {
            await session.SendAsync(frames.Ack(type, session.User.UserId));
        }
    }

    private async Task RunAgentAsync(JsonObject message, WebSocketSession session)
    {
        try
        {
            var handler = await agents.GetAsync(session.Ended);
            await handler.HandleAsync(message, session.User, frame => session.SendAsync(frame), session.Ended);
        }
        catch (OperationCanceledException) when (session.Ended.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Whatever a handler throws must not take the connection (or the process) down.
            logger.LogError(ex, "websocket {Id}: start_agent failed", session.Id);
            await session.SendAsync(frames.Error("Agent execution failed: internal error"));
        }
    }
}

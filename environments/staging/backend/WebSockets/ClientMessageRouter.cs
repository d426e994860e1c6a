using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Agents;
using Replica.Staging.Backend.Protocol;

namespace Replica.Staging.Backend.WebSockets;

/// <summary>
/// Answers each client message: ping → pong; user_message (and its aliases) → "Message received"; start_agent /
/// execute_agent → the installed agent handler, run alongside the receive loop; any other type → ack; invalid JSON
/// or a message without a string type → error_message FORMAT_ERROR. Every message gets at least one frame back —
/// except start_agent under R3's seed fallback, which is the incident.
/// </summary>
public sealed class ClientMessageRouter(ServerFrames frames, AgentHandlerSlot agents, ILogger logger)
{
    private static readonly HashSet<string> UserMessageTypes = ["user_message", "message", "user", "user_input", "chat_message"];
    private static readonly HashSet<string> AgentTypes = ["start_agent", "execute_agent"];

    public async Task HandleAsync(ReadOnlyMemory<byte> data, WebSocketSession session)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(data.Span);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            await session.SendAsync(frames.ErrorMessage("FORMAT_ERROR", $"Invalid JSON: {ex.Message}"));
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
            await session.SendAsync(frames.Error($"Agent execution failed: {ex.Message}"));
        }
    }
}

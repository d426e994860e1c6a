using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Staging.Backend.Agents;

/// <summary>Where a start_agent message carries its request: payload.user_request, content, or payload.content.</summary>
public static class StartAgentRequest
{
    /// <summary>Any of the fields clients use (the supervisor, and the fixed fallback).</summary>
    public static string? FromAnyField(JsonObject message) =>
        Text(Payload(message)?["user_request"]) ?? Text(message["content"]) ?? Text(Payload(message)?["content"]);

    /// <summary>Only payload.content: all the seed's fallback handler read.</summary>
    public static string? FromPayloadContent(JsonObject message) => Text(Payload(message)?["content"]);

    public static string? ThreadId(JsonObject message) => Text(message["thread_id"]) ?? Text(Payload(message)?["thread_id"]);

    private static JsonObject? Payload(JsonObject message) => message["payload"] as JsonObject;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}

using System.Text.Json.Nodes;

namespace Replica.Staging.Backend.Protocol;

/// <summary>Every frame the backend sends over a WebSocket, shaped as PROTOCOL.md gives them.</summary>
public sealed class ServerFrames(TimeProvider clock)
{
    public JsonObject Welcome(string connectionId, string userId, string environment, TimeSpan heartbeat, int maxMessageSize) => new()
    {
        ["type"] = "system_message",
        ["data"] = new JsonObject
        {
            ["event"] = "connection_established",
            ["connection_id"] = connectionId,
            ["user_id"] = userId,
            ["server_time"] = ProtocolTime.Iso(clock),
            ["connection_ready"] = true,
            ["environment"] = environment,
            ["startup_complete"] = true,
            ["config"] = new JsonObject
            {
                ["heartbeat_interval"] = heartbeat.TotalSeconds,
                ["max_message_size"] = maxMessageSize,
            },
        },
        ["timestamp"] = ProtocolTime.Unix(clock),
    };

    public JsonObject Ping() => new()
    {
        ["type"] = "ping",
        ["data"] = new JsonObject { ["timestamp"] = ProtocolTime.Unix(clock) },
        ["timestamp"] = ProtocolTime.Unix(clock),
    };

    public JsonObject Pong(string userId) => new()
    {
        ["type"] = "pong",
        ["data"] = new JsonObject { ["timestamp"] = ProtocolTime.Unix(clock), ["user_id"] = userId },
        ["timestamp"] = ProtocolTime.Unix(clock),
    };

    public JsonObject MessageReceived() => new()
    {
        ["type"] = "system_message",
        ["data"] = new JsonObject { ["content"] = "Message received", ["status"] = "acknowledged" },
        ["timestamp"] = ProtocolTime.Unix(clock),
    };

    public JsonObject Ack(string? receivedType, string userId) => new()
    {
        ["type"] = "ack",
        ["received_type"] = receivedType,
        ["timestamp"] = ProtocolTime.Unix(clock),
        ["user_id"] = userId,
        ["status"] = "acknowledged",
    };

    public JsonObject ErrorMessage(string code, string message) => new()
    {
        ["type"] = "error_message",
        ["error_code"] = code,
        ["error_message"] = message,
        ["timestamp"] = ProtocolTime.Unix(clock),
    };

    /// <summary>{"type":"error","message":...}: what an agent request that cannot start gets.</summary>
    public JsonObject Error(string message) => new()
    {
        ["type"] = "error",
        ["message"] = message,
        ["timestamp"] = ProtocolTime.Unix(clock),
    };

    /// <summary>agent_started, agent_thinking, tool_executing, tool_completed, agent_completed, agent_error.</summary>
    public JsonObject AgentEvent(string type, string runId, string agentName, JsonObject payload) => new()
    {
        ["type"] = type,
        ["run_id"] = runId,
        ["agent_name"] = agentName,
        ["timestamp"] = ProtocolTime.Iso(clock),
        ["payload"] = payload,
    };
}

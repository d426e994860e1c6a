using System.Text.Json.Nodes;
using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Opens a WebSocket, optionally sends one message at once, and expects frames of these types (the JSON field
/// <see cref="TypeField"/>) in this order — other frames, such as heartbeat pings, may come between — each within
/// <see cref="FrameTimeout"/> of the previous one.
/// </summary>
public sealed record WebSocketProbeDefinition(
    string Name,
    ProbeTarget Target,
    SourceLocation Location,
    string Path,
    TokenMode Token,
    IReadOnlyList<string> Subprotocols,
    JsonNode? Send,
    IReadOnlyList<string> Expect,
    TimeSpan FrameTimeout,
    string TypeField)
    : ProbeDefinition(Name, Target, Location);

using System.Text.Json.Nodes;
using Replica.Environments.Topology;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// Opens a WebSocket, optionally sends one message, and expects these frame types in this order (other frames, such
/// as heartbeat pings, may come between), each within <see cref="FrameTimeout"/> of the previous one.
/// </summary>
public sealed record WebSocketProbeDefinition(
    string Name,
    TimeSpan At,
    ProbeTarget Target,
    SourceLocation Location,
    string Path,
    TokenMode Token,
    IReadOnlyList<string> Subprotocols,
    JsonNode? Send,
    IReadOnlyList<string> Expect,
    TimeSpan FrameTimeout)
    : ProbeDefinition(Name, At, Target, Location);

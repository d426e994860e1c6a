using System.Text.Json.Serialization;

namespace Replica.Chaos.Probes;

/// <summary>
/// How a probe failed, classified: the same failure in two runs has the same <see cref="Label"/>, so failures can be
/// counted by mode ("close 1011 \"Service not ready: redis\"", "HTTP 503 \"Startup failed: …\"", "timeout after
/// [system_message, ping]").
/// </summary>
public sealed record FailureMode(FailureKind Kind, int? Code = null, string? Message = null, IReadOnlyList<string>? AfterFrames = null)
{
    [JsonIgnore]
    public string Label => Kind switch
    {
        FailureKind.WebSocketClosed => $"close {Code} \"{Message}\"",
        FailureKind.HandshakeRejected => $"handshake rejected: HTTP {Code}",
        FailureKind.HttpStatus => $"HTTP {Code} \"{Message}\"",
        FailureKind.Timeout => $"timeout after [{string.Join(", ", AfterFrames ?? [])}]",
        FailureKind.WrongOrder => $"wrong order: {Message}",
        FailureKind.ConnectionRefused => "connection refused",
        _ => $"connection error: {Message}",
    };

    public override string ToString() => Label;
}

using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Probes;

[JsonConverter(typeof(CamelCaseEnumConverter<FailureKind>))]
public enum FailureKind
{
    /// <summary>The WebSocket was closed by the server with a code (e.g. 1011) and reason.</summary>
    WebSocketClosed,
    /// <summary>The WebSocket handshake was answered with an HTTP status instead of 101.</summary>
    HandshakeRejected,
    /// <summary>An HTTP answer with a status or body other than expected.</summary>
    HttpStatus,
    /// <summary>Nothing arrived within the timeout; records which frames had been seen.</summary>
    Timeout,
    /// <summary>Frames arrived, but not in the expected order.</summary>
    WrongOrder,
    /// <summary>TCP connection refused.</summary>
    ConnectionRefused,
    /// <summary>Any other transport error (reset, closed without a close frame).</summary>
    ConnectionError,
}

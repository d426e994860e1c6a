using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// One whole data message on its way through the proxy, as the frame rules see it: its payload and direction, and
/// what the rules decided so far (each rule in turn, in the order the rules were added).
/// </summary>
internal sealed class FrameMessage(WebSocketPayload payload, FrameDirection direction)
{
    public WebSocketPayload Payload { get; } = payload;

    public FrameDirection Direction { get; } = direction;

    /// <summary>True once a rule dropped the message: it is not delivered.</summary>
    public bool Dropped { get; set; }

    /// <summary>How long the message waits before it is delivered: the sum of the delays rules gave it.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The start of the message, for the fault log.</summary>
    public string Preview
        => Payload.Compressed ? "(compressed)" : Truncate(System.Text.Encoding.UTF8.GetString(Payload.Bytes.Span[..Math.Min(Payload.Bytes.Length, 120)]));

    /// <summary>At most 80 characters of a message's text, for the fault log.</summary>
    public static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

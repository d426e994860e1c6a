namespace Replica.Proxy.Edge.WebSockets;

/// <summary>What a <see cref="FrameFlow"/> does with the bytes of the current frame.</summary>
internal enum FrameHandling
{
    /// <summary>Stream them on as they arrive: no rule needs to see this message.</summary>
    Pass,
    /// <summary>Keep the whole message so that rules can read, drop or delay it.</summary>
    Buffer,
    /// <summary>Drop them: the proxy has closed the connection.</summary>
    Discard,
}

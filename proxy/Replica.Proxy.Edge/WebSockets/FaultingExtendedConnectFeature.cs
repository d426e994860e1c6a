using Microsoft.AspNetCore.Http.Features;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>
/// Stands in for Kestrel's HTTP/2 extended CONNECT feature (RFC 8441: a WebSocket over an HTTP/2 stream), so that the
/// stream YARP copies WebSocket bytes through after the 200 is our frame-aware wrapper, as for HTTP/1.1 upgrades.
/// </summary>
internal sealed class FaultingExtendedConnectFeature(IHttpExtendedConnectFeature inner, Func<Stream, Stream> wrap) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => wrap(await inner.AcceptAsync());
}

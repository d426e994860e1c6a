using Microsoft.AspNetCore.Http.Features;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>
/// Stands in for Kestrel's HTTP/1.1 upgrade feature so that the stream YARP copies WebSocket bytes through after the
/// 101 is our frame-aware wrapper (the pattern of YARP's own WebSocketsTelemetryMiddleware).
/// </summary>
internal sealed class FaultingUpgradeFeature(IHttpUpgradeFeature inner, Func<Stream, Stream> wrap) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => wrap(await inner.UpgradeAsync());
}

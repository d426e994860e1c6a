using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Replica.Proxy.Edge.Forwarding;

/// <summary>
/// YARP's HttpClient for <see cref="ForwardingProfile.Tuned"/>: no trace-header propagation (a fault proxy has no
/// trace to continue, and the diagnostics handler costs every request), longer-lived pooled upstream connections.
/// </summary>
internal sealed class TunedHttpClientFactory : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ActivityHeadersPropagator = null;
        handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5);
    }
}

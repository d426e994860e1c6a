using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Replica.Proxy.Edge.Forwarding;

/// <summary>
/// The routes as YARP configuration: one route and one single-destination cluster per <see cref="EdgeRoute"/>.
/// Changing a route's upstream pushes a new snapshot to YARP, which applies it to new requests only; open
/// connections, to this route or any other, are left alone.
/// </summary>
internal sealed class RouteTable
{
    private readonly object _gate = new();
    private readonly TimeSpan _idleTimeout;
    private IReadOnlyList<EdgeRoute> _routes;
    private InMemoryConfigProvider? _provider;

    private readonly ForwardingProfile _forwarding;

    public RouteTable(IReadOnlyList<EdgeRoute> routes, TimeSpan idleTimeout, ForwardingProfile forwarding = ForwardingProfile.Tuned)
    {
        _routes = routes;
        _idleTimeout = idleTimeout;
        _forwarding = forwarding;
    }

    public IReadOnlyList<EdgeRoute> Routes => Volatile.Read(ref _routes);

    public IReadOnlyList<RouteConfig> RouteConfigs() => Routes.Select((r, i) => new RouteConfig
    {
        RouteId = r.Name,
        ClusterId = r.Name,
        Order = i,
        Match = new RouteMatch { Path = r.RoutePattern },
    }).ToList();

    public IReadOnlyList<ClusterConfig> ClusterConfigs() => Routes.Select(r => new ClusterConfig
    {
        ClusterId = r.Name,
        Destinations = new Dictionary<string, DestinationConfig> { ["upstream"] = new() { Address = r.Upstream.ToString() } },
        // YARP's activity timeout also ends idle WebSockets (100 s by default); make it the proxy's idle timeout.
        // Tuned: HTTP/1.1 to the plain upstreams at once (YARP asks for HTTP/2 and falls back per request).
        HttpRequest = _forwarding == ForwardingProfile.Tuned
            ? new ForwarderRequestConfig { ActivityTimeout = _idleTimeout, Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower }
            : new ForwarderRequestConfig { ActivityTimeout = _idleTimeout },
    }).ToList();

    public void Attach(InMemoryConfigProvider provider) => _provider = provider;

    /// <summary>Records that the route's upstream has just (re)started; false when there is no such route.</summary>
    public bool MarkRestarted(string route, Faults.ProxyClock clock)
    {
        if (Routes.All(r => r.Name != route))
        {
            return false;
        }
        clock.MarkRestarted(route);
        return true;
    }

    public bool SetUpstream(string route, Uri upstream)
    {
        lock (_gate)
        {
            var index = _routes.ToList().FindIndex(r => r.Name == route);
            if (index < 0)
            {
                return false;
            }
            var updated = _routes.ToList();
            updated[index] = updated[index] with { Upstream = upstream };
            var error = updated[index].Validate();
            if (error is not null)
            {
                throw new ArgumentException(error, nameof(upstream));
            }
            Volatile.Write(ref _routes, updated);
            _provider?.Update(RouteConfigs(), ClusterConfigs());
            return true;
        }
    }
}

using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Replica.Proxy.Edge.Forwarding;

/// <summary>
/// The routes, in order, with each one's current upstream. Direct forwarding (<see cref="ForwardingProfile.Tuned"/>)
/// reads a route's upstream per request (<see cref="DestinationPrefix"/>); for YARP's own pipeline
/// (<see cref="ForwardingProfile.YarpDefaults"/>) they are YARP configuration, one route and one single-destination
/// cluster each. Either way, changing a route's upstream applies to new requests only; open connections, to this route
/// or any other, are left alone.
/// </summary>
internal sealed class RouteTable
{
    private readonly object _gate = new();
    private readonly TimeSpan _idleTimeout;
    private IReadOnlyList<EdgeRoute> _routes;
    private string[] _destinationPrefixes;
    private InMemoryConfigProvider? _provider;

    private readonly ForwardingProfile _forwarding;

    public RouteTable(IReadOnlyList<EdgeRoute> routes, TimeSpan idleTimeout, ForwardingProfile forwarding = ForwardingProfile.Tuned)
    {
        _routes = routes;
        _destinationPrefixes = routes.Select(r => r.Upstream.ToString()).ToArray();
        _idleTimeout = idleTimeout;
        _forwarding = forwarding;
    }

    public IReadOnlyList<EdgeRoute> Routes => Volatile.Read(ref _routes);

    /// <summary>The upstream URL of the route at <paramref name="index"/> as the forwarder's destination prefix, as it is now.</summary>
    public string DestinationPrefix(int index) => Volatile.Read(ref _destinationPrefixes)[index];

    /// <summary>
    /// How requests are sent upstream: the activity timeout (YARP's default of 100 s would also end idle WebSockets)
    /// is the proxy's idle timeout; tuned, HTTP/1.1 to the plain upstreams at once (YARP asks for HTTP/2 and falls
    /// back per request).
    /// </summary>
    public ForwarderRequestConfig RequestConfig() => _forwarding == ForwardingProfile.Tuned
        ? new ForwarderRequestConfig { ActivityTimeout = _idleTimeout, Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower }
        : new ForwarderRequestConfig { ActivityTimeout = _idleTimeout };

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
        HttpRequest = RequestConfig(),
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
            Volatile.Write(ref _destinationPrefixes, updated.Select(r => r.Upstream.ToString()).ToArray());
            _provider?.Update(RouteConfigs(), ClusterConfigs());
            return true;
        }
    }
}

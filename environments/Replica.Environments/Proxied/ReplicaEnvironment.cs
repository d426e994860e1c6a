using Microsoft.Extensions.Logging;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Logging;
using Replica.Environments.Runtimes;
using Replica.Proxy.Edge;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Edge.Tls;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Network;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Environments.Proxied;

/// <summary>
/// An environment with Replica's proxies on every connection: each connection a service makes to a dependency crosses a TCP fault
/// proxy (Toxiproxy API), and clients reach the services through the edge proxy (HTTP and WebSocket faults). The
/// services never know: they are handed the proxies' addresses in place of their dependencies'. With TLS on
/// (`x-replica.edge.tls`) clients use https:// and wss://; a network profile (`x-replica.network`) gives the client
/// path and every dependency their round trip, jitter and rate. Settings that can be wrong (the profile, the
/// certificate, the edge's port) are checked before any service starts. Disposing it stops the edge proxy, the
/// services, then the TCP proxies.
/// </summary>
public sealed class ReplicaEnvironment : IAsyncDisposable
{
    public const string EdgeEndpoint = "edge";
    public const string EdgeAdminEndpoint = "edge-admin";
    public const string ToxiproxyEndpoint = "toxiproxy-api";

    private readonly List<Action<EnvironmentEvent>> _subscribers = [];
    private readonly List<ILoggerFactory> _loggers = [];
    private readonly SemaphoreSlim _edgeLock = new(1, 1);
    private RunningEnvironment? _environment;
    private int _disposed;

    // Where the edge forwards until the services are up: nothing listens there, so an early client gets a 502.
    private static readonly Uri NotYetUp = new("http://127.0.0.1:9/");

    private ReplicaEnvironment(ToxiproxyServer toxiproxy, int seed, NetworkProfile network)
    {
        Toxiproxy = toxiproxy;
        Seed = seed;
        Network = network;
    }

    /// <summary>The services.</summary>
    public RunningEnvironment Environment => _environment ?? throw new InvalidOperationException("the environment is not up");

    public RunningService this[string service] => Environment[service];

    public Topology Topology => Environment.Topology;

    public string Name => Environment.Name;

    /// <summary>The TCP fault proxies (one per dependency, named like it: backend_redis).</summary>
    public ToxiproxyServer Toxiproxy { get; }

    /// <summary>The edge proxy, or null when the topology declares no x-replica.edge routes.</summary>
    public EdgeProxy? Edge { get; private set; }

    /// <summary>Where clients connect: the edge proxy (https:// when TLS is on).</summary>
    public Uri? EdgeUrl => Edge?.Url;

    /// <summary>The local certificate authority's ca.crt clients must trust, when the edge serves TLS with an issued certificate.</summary>
    public string? EdgeCertificateAuthority => Edge?.CertificateAuthorityPath;

    /// <summary>The network profile in effect (<see cref="NetworkProfiles.None"/> when none is selected).</summary>
    public NetworkProfile Network { get; }

    public int Seed { get; }

    /// <summary>The TCP proxy of a dependency (e.g. "backend_redis").</summary>
    public TcpProxy DependencyProxy(string dependency) =>
        Toxiproxy.Proxies.TryGet(dependency, out var proxy) ? proxy
        : throw new ReplicaException($"no dependency '{dependency}'{KeySuggestion.For(dependency, Toxiproxy.Proxies.List().Select(p => p.Name))}", kind: ReplicaErrorKind.BadInput);

    /// <summary>Receives every environment event (service started, healthy, stopped…) from now on, until disposed.</summary>
    public IDisposable Subscribe(Action<EnvironmentEvent> observer)
    {
        lock (_subscribers)
        {
            _subscribers.Add(observer);
        }
        return new Unsubscriber(() => { lock (_subscribers) { _subscribers.Remove(observer); } });
    }

    public static async Task<ReplicaEnvironment> StartAsync(EnvironmentBuilder builder, ReplicaEnvironmentOptions options, CancellationToken cancellationToken = default)
    {
        var definition = builder.Build();
        var network = definition.Topology.Network.Select(options.Network, options.NetworkSetting);
        var tls = EdgeTlsFor(definition.Topology, options);
        await RunningEnvironment.ClaimAsync(definition, cancellationToken);
        var logDirectory = definition.Store.LogDirectoryOf(definition.Name);
        var seed = options.Seed ?? Random.Shared.Next(1, int.MaxValue);

        var toxiLogs = FileLogs(Path.Combine(logDirectory, "toxiproxy.log"));
        ToxiproxyServer toxiproxy;
        try
        {
            toxiproxy = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions
            {
                Host = options.ToxiproxyHost,
                Port = options.ToxiproxyPort,
                Seed = seed,
                LoggerFactory = toxiLogs,
            }, cancellationToken);
        }
        catch
        {
            toxiLogs.Dispose();
            throw;
        }
        var replica = new ReplicaEnvironment(toxiproxy, seed, network);
        replica._loggers.Add(toxiLogs);
        try
        {
            // The edge first: its certificate and its port are the settings most likely to be wrong, and a wrong one
            // must fail before any service has started. It points at the services once they are up.
            await replica.StartEdgeAsync(definition.Topology, options, tls, logDirectory, cancellationToken);
            var services = builder.WithObserver(replica.Publish);
            if (options.ProxyDependencies)
            {
                services = services.WithDependencyInterposer(replica.InterposeAsync);
            }
            replica._environment = await services.Build().StartAsync(cancellationToken);
            replica.PointEdgeAtServices();
            if (replica.EdgeCertificateAuthority is { } authority)
            {
                EdgeCertificateTrust.Trust(authority);
            }
            var endpoints = new Dictionary<string, string> { [ToxiproxyEndpoint] = toxiproxy.ApiUrl.ToString().TrimEnd('/') };
            if (replica.Edge is { } edge)
            {
                endpoints[EdgeEndpoint] = edge.Url.ToString().TrimEnd('/');
                endpoints[EdgeAdminEndpoint] = edge.AdminUrl!.ToString().TrimEnd('/');
            }
            replica.Environment.RecordEndpoints(endpoints, new Dictionary<string, long> { ["proxies"] = seed });
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>The edge's TLS settings: compose.yaml's `x-replica.edge.tls`, switched on or off by the options.</summary>
    private static EdgeTlsOptions? EdgeTlsFor(Topology topology, ReplicaEnvironmentOptions options)
    {
        var declared = topology.EdgeTls;
        if (!(options.EdgeTls ?? declared.Enabled))
        {
            return null;
        }
        return new EdgeTlsOptions
        {
            Hosts = declared.Hosts,
            CertificateFile = declared.CertificateFile,
            KeyFile = declared.KeyFile,
            AuthorityDirectory = options.CertificateAuthorityDirectory,
        };
    }

    /// <summary>Replica's own lines (every injected fault) at information; ASP.NET's and YARP's per-request chatter only when it is a warning.</summary>
    private static ILoggerFactory FileLogs(string path) => LoggerFactory.Create(b => b
        .AddProvider(new FileLoggerProvider(path))
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Yarp", LogLevel.Warning));

    /// <summary>
    /// One TCP proxy per dependency, listening where the services can reach it; the same one on every (re)start. It stands on
    /// the network profile's dependency path.
    /// </summary>
    private Task<HostEndpoint> InterposeAsync(DependencyConnection dependency, HostEndpoint upstream, string serviceFacingHost, CancellationToken cancellationToken)
    {
        lock (Toxiproxy)
        {
            if (Toxiproxy.Proxies.TryGet(dependency.Name, out var existing))
            {
                if (existing.Upstream != upstream.ToString())
                {
                    existing.Update(new ProxyUpdate { Upstream = upstream.ToString() });
                }
                return Task.FromResult(new HostEndpoint(serviceFacingHost, existing.ListenEndPoint!.Port));
            }
            var proxy = Toxiproxy.Proxies.Create(new ProxyDefinition(dependency.Name, $"{serviceFacingHost}:0", upstream.ToString()));
            if (ShapeOf(Network.Dependencies) is { IsNone: false } shape)
            {
                proxy.SetNetwork(shape);
            }
            return Task.FromResult(new HostEndpoint(serviceFacingHost, proxy.ListenEndPoint!.Port));
        }
    }

    private static LinkShape ShapeOf(NetworkPath path) => new(path.RoundTrip, path.Jitter, path.BytesPerSecond);

    private async Task StartEdgeAsync(Topology topology, ReplicaEnvironmentOptions options, EdgeTlsOptions? tls, string logDirectory, CancellationToken cancellationToken)
    {
        var routes = topology.EdgeRoutes.Select(r => new EdgeRoute(r.Name, r.Path, NotYetUp)).ToList();
        if (routes.Count == 0)
        {
            return;
        }
        var logs = FileLogs(Path.Combine(logDirectory, "edge.log"));
        _loggers.Add(logs);
        try
        {
            Edge = await EdgeProxy.StartAsync(new EdgeProxyOptions
            {
                Listen = options.EdgeListen,
                Admin = options.EdgeAdmin,
                Routes = routes,
                Seed = Seed,
                Tls = tls,
                ClientNetwork = ShapeOf(Network.Clients),
                LoggerFactory = logs,
            }, cancellationToken);
        }
        catch (ProxyListenException ex)
        {
            var setting = ex.Setting == nameof(EdgeProxyOptions.Admin) ? "the edge proxy's admin API" : "the edge proxy (--port)";
            throw new ReplicaException($"{setting} cannot listen on {ex.Address}: {ex.InnerException?.Message ?? ex.Message}; nothing was started", kind: ReplicaErrorKind.MissingPrerequisite,
                hint: ex.AddressInUse ? "free the port, or choose another with --port (0 picks a free one)" : null);
        }
        catch (TlsSettingsException ex)
        {
            throw new ReplicaException($"{DescribeTlsSetting(topology.EdgeTls, ex.Setting)}: {ex.Message}; nothing was started", kind: ReplicaErrorKind.BadInput);
        }
        catch (ArgumentException ex)
        {
            throw new ReplicaException($"x-replica.edge: {ex.Message}", kind: ReplicaErrorKind.BadInput);
        }
    }

    /// <summary>The setting a TLS problem comes from, with its place in compose.yaml when it has one.</summary>
    private static string DescribeTlsSetting(EdgeTlsDefinition declared, TlsSetting setting) => setting switch
    {
        TlsSetting.Certificate => $"{declared.CertificateLocation?.ToString() ?? declared.Location.ToString()}: x-replica.edge.tls.certificate",
        TlsSetting.Key => $"{declared.KeyLocation?.ToString() ?? declared.Location.ToString()}: x-replica.edge.tls.key",
        TlsSetting.Hosts => $"{declared.HostsLocation?.ToString() ?? declared.Location.ToString()}: x-replica.edge.tls.hosts",
        _ => "the local certificate authority (REPLICA_CA_DIR)",
    };

    /// <summary>The services are up: the edge's routes go to their endpoints from now on.</summary>
    private void PointEdgeAtServices()
    {
        if (Edge is null)
        {
            return;
        }
        foreach (var route in Topology.EdgeRoutes)
        {
            Edge.SetUpstream(route.Name, new Uri($"http://{Environment[route.Service].Endpoints[route.ContainerPort]}"));
        }
    }

    private void Publish(EnvironmentEvent e)
    {
        // A restarted service is a cold start for the edge proxy's gates.
        if (e.Kind == EnvironmentEventKind.Started && e.Service is { } service && Edge is { } edge)
        {
            foreach (var route in Topology.EdgeRoutes.Where(r => r.Service == service))
            {
                edge.MarkUpstreamRestarted(route.Name);
            }
        }
        Action<EnvironmentEvent>[] subscribers;
        lock (_subscribers)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            subscriber(e);
        }
    }

    /// <summary>Clears every fault: toxics removed and dependencies enabled, edge proxy rules removed.</summary>
    public void ResetFaults()
    {
        Toxiproxy.Proxies.Reset();
        Edge?.Rules.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
        await Toxiproxy.DisposeAsync();
        foreach (var logs in _loggers)
        {
            logs.Dispose();
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

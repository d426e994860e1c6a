using Microsoft.Extensions.Logging;
using Replica.Chaos.Logging;
using Replica.Chaos.Toxiproxy;
using Replica.Chaos.Toxiproxy.Proxies;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes;
using Replica.Environments.Topology;
using Replica.Proxy;
using Replica.Proxy.Forwarding;

namespace Replica.Chaos.Environments;

/// <summary>
/// An environment with Replica's proxies on every connection: each service-to-dependency edge crosses a TCP fault
/// proxy (Toxiproxy API), and clients reach the services through the edge proxy (HTTP and WebSocket faults). The
/// services never know: they are handed the proxies' addresses in place of their dependencies'. Disposing it stops
/// the edge proxy, the services, then the TCP proxies.
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

    private ReplicaEnvironment(ToxiproxyServer toxiproxy, int seed)
    {
        Toxiproxy = toxiproxy;
        Seed = seed;
    }

    /// <summary>The services.</summary>
    public RunningEnvironment Environment => _environment ?? throw new InvalidOperationException("the environment is not up");

    public RunningService this[string service] => Environment[service];

    public Topology Topology => Environment.Topology;

    public string Name => Environment.Name;

    /// <summary>The TCP fault proxies (one per dependency edge, named like the edge: backend_redis).</summary>
    public ToxiproxyServer Toxiproxy { get; }

    /// <summary>The edge proxy, or null when the topology declares no x-replica.edge routes.</summary>
    public EdgeProxy? Edge { get; private set; }

    /// <summary>Where clients connect: the edge proxy.</summary>
    public Uri? EdgeUrl => Edge?.Url;

    public int Seed { get; }

    /// <summary>The TCP proxy of a dependency edge (e.g. "backend_redis").</summary>
    public TcpProxy DependencyProxy(string edge) =>
        Toxiproxy.Proxies.TryGet(edge, out var proxy) ? proxy
        : throw new ReplicaException($"no dependency edge '{edge}'{KeySuggestion.For(edge, Toxiproxy.Proxies.List().Select(p => p.Name))}", exitCode: 2);

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
        var probe = builder.Build();
        await RunningEnvironment.ClaimAsync(probe, cancellationToken);
        var logDirectory = probe.Store.LogDirectoryOf(probe.Name);
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
        var replica = new ReplicaEnvironment(toxiproxy, seed);
        replica._loggers.Add(toxiLogs);
        try
        {
            var services = builder.WithObserver(replica.Publish);
            if (options.ProxyDependencies)
            {
                services = services.WithEdgeInterposer(replica.InterposeAsync);
            }
            replica._environment = await services.Build().StartAsync(cancellationToken);
            await replica.StartEdgeAsync(options, logDirectory, cancellationToken);
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


    /// <summary>Replica's own lines (every injected fault) at information; ASP.NET's and YARP's per-request chatter only when it is a warning.</summary>
    private static ILoggerFactory FileLogs(string path) => LoggerFactory.Create(b => b
        .AddProvider(new FileLoggerProvider(path))
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Yarp", LogLevel.Warning));

    /// <summary>One TCP proxy per edge, listening where the services can reach it; the same one on every (re)start.</summary>
    private Task<HostEndpoint> InterposeAsync(DependencyEdge edge, HostEndpoint upstream, string serviceFacingHost, CancellationToken cancellationToken)
    {
        lock (Toxiproxy)
        {
            if (Toxiproxy.Proxies.TryGet(edge.Name, out var existing))
            {
                if (existing.Upstream != upstream.ToString())
                {
                    existing.Update(new ProxyUpdate { Upstream = upstream.ToString() });
                }
                return Task.FromResult(new HostEndpoint(serviceFacingHost, existing.ListenEndPoint!.Port));
            }
            var proxy = Toxiproxy.Proxies.Create(new ProxyDefinition(edge.Name, $"{serviceFacingHost}:0", upstream.ToString()));
            return Task.FromResult(new HostEndpoint(serviceFacingHost, proxy.ListenEndPoint!.Port));
        }
    }

    private async Task StartEdgeAsync(ReplicaEnvironmentOptions options, string logDirectory, CancellationToken cancellationToken)
    {
        var routes = Topology.EdgeRoutes
            .Select(r => new EdgeRoute(r.Name, r.Path, new Uri($"http://{Environment[r.Service].Endpoints[r.ContainerPort]}")))
            .ToList();
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
                LoggerFactory = logs,
            }, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new ReplicaException($"the edge proxy cannot listen on {options.EdgeListen}: {ex.Message}", exitCode: 3,
                hint: "free the port or choose another with --port");
        }
        catch (ArgumentException ex)
        {
            throw new ReplicaException($"x-replica.edge: {ex.Message}", exitCode: 2);
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

    /// <summary>Clears every fault: toxics removed and edges enabled, edge rules removed.</summary>
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

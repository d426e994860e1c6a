using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Proxy.Edge.Admin;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Edge.Metrics;
using Replica.Proxy.Edge.Tls;
using Replica.Proxy.Tcp.Network;
using Yarp.ReverseProxy.Configuration;

namespace Replica.Proxy.Edge;

/// <summary>
/// The edge proxy: YARP forwarding to the configured upstreams, with the L7 fault engine in front of every request and
/// WebSocket, and an admin API. Start it with <see cref="StartAsync"/>; dispose it to stop (open connections are cut).
/// </summary>
public sealed class EdgeProxy : IAsyncDisposable
{
    private readonly WebApplication _proxyApp;
    private readonly WebApplication? _adminApp;
    private readonly EdgeProxyRuntime _runtime;
    private readonly RouteTable _routes;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private EdgeProxy(WebApplication proxyApp, WebApplication? adminApp, EdgeProxyRuntime runtime, RouteTable routes, CancellationTokenSource stopping)
    {
        _proxyApp = proxyApp;
        _adminApp = adminApp;
        _runtime = runtime;
        _routes = routes;
        _stopping = stopping;
    }

    /// <summary>Where clients connect, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The admin API's base URL, or null when it is off.</summary>
    public Uri? AdminUrl { get; private set; }

    /// <summary>The local certificate authority's ca.crt that clients must trust, when TLS is on with an issued certificate.</summary>
    public string? CertificateAuthorityPath { get; private set; }

    /// <summary>The shape of the path between clients and the proxy (<see cref="LinkShape.None"/> when left as it is).</summary>
    public LinkShape ClientNetwork { get; private set; } = LinkShape.None;

    /// <summary>The seed of the fault random source: the same seed and the same request sequence give the same faults.</summary>
    public int Seed => _runtime.Seed;

    /// <summary>The live fault rules: add, remove, clear and list, without blocking traffic.</summary>
    public FaultRuleSet Rules => _runtime.Rules;

    public IReadOnlyList<EdgeRoute> Routes => _routes.Routes;

    public EdgeProxyCounters Counters => _runtime.Metrics.Snapshot();

    /// <summary>The live feed of requests, WebSocket frames and faults (nothing is recorded while no one subscribes).</summary>
    public EdgeTap Tap => _runtime.Tap;

    /// <summary>WebSocket connections open through the proxy now.</summary>
    public int OpenWebSockets => _runtime.Sessions.Count;

    public static async Task<EdgeProxy> StartAsync(EdgeProxyOptions options, CancellationToken cancellationToken = default)
    {
        var listen = ListenEndpoint.Parse(options.Listen, nameof(options.Listen));
        var admin = options.Admin is null ? null : ListenEndpoint.Parse(options.Admin, nameof(options.Admin));
        Validate(options, admin);
        // Certificates are resolved before anything listens: a bad TLS setting starts nothing.
        var certificate = options.Tls is null ? null : ServerCertificate.Resolve(options.Tls, listen);
        var network = options.ClientNetwork ?? LinkShape.None;

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var stopping = new CancellationTokenSource();
        var clock = new ProxyClock(options.TimeProvider, stopping.Token);
        var runtime = new EdgeProxyRuntime(options.Seed ?? Random.Shared.Next(), clock, loggerFactory.CreateLogger("Replica.Proxy.Edge.Faults"), options.AllowWebSocketCompression);
        if (options.Rules.Count > 0)
        {
            runtime.Rules.AddRange(options.Rules);
        }
        var routes = new RouteTable(options.Routes, options.IdleTimeout, options.Forwarding);

        var proxyApp = BuildProxyApp(listen, certificate, network, options.Forwarding, options.InlineIo, routes, runtime, loggerFactory);
        var adminApp = admin is null ? null : AdminApi.Build(admin, options.AdminToken, runtime, routes, loggerFactory);
        var proxy = new EdgeProxy(proxyApp, adminApp, runtime, routes, stopping)
        {
            CertificateAuthorityPath = certificate?.AuthorityCertificatePath,
            ClientNetwork = network,
        };
        try
        {
            await StartListeningAsync(proxyApp, nameof(options.Listen), listen, cancellationToken);
            proxy.Url = new Uri(BoundAddress(proxyApp));
            if (adminApp is not null)
            {
                await StartListeningAsync(adminApp, nameof(options.Admin), admin!, cancellationToken);
                proxy.AdminUrl = new Uri(BoundAddress(adminApp));
            }
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Points a route at a new upstream address (the service restarted elsewhere). New requests go there; open connections stay.</summary>
    /// <returns>False when there is no such route.</returns>
    public bool SetUpstream(string route, Uri upstream) => _routes.SetUpstream(route, upstream);

    /// <summary>Tells the proxy the route's upstream has just (re)started: cold-start gates on that route count from now.</summary>
    /// <returns>False when there is no such route.</returns>
    public bool MarkUpstreamRestarted(string route) => _routes.MarkRestarted(route, _runtime.Clock);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Release held requests and cut open WebSockets first: graceful shutdown would otherwise wait for them.
        await _stopping.CancelAsync();
        _runtime.Sessions.AbortAll();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var app in new[] { _proxyApp, _adminApp })
        {
            if (app is null)
            {
                continue;
            }
            try
            {
                await app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await app.DisposeAsync();
        }
        _stopping.Dispose();
    }

    private static void Validate(EdgeProxyOptions options, ListenEndpoint? admin)
    {
        if (options.Routes.Count == 0)
        {
            throw new ArgumentException("Routes: at least one route (or upstream) is required", nameof(options));
        }
        foreach (var route in options.Routes)
        {
            if (route.Validate() is { } error)
            {
                throw new ArgumentException($"Routes: {error}", nameof(options));
            }
        }
        var duplicate = options.Routes.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Routes: route name '{duplicate.Key}' is used twice", nameof(options));
        }
        if (admin is { IsLoopback: false } && string.IsNullOrEmpty(options.AdminToken))
        {
            throw new ArgumentException($"Admin: binding the admin API to {admin} (not loopback) requires an admin token", nameof(options));
        }
        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("IdleTimeout: must be positive", nameof(options));
        }
        if (options.TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider: must be set (TimeProvider.System for the real clock)", nameof(options));
        }
        if (options.ClientNetwork?.Validate() is { Count: > 0 } shapeErrors)
        {
            throw new ArgumentException($"ClientNetwork: {string.Join("; ", shapeErrors)}", nameof(options));
        }
    }

    private static WebApplication BuildProxyApp(ListenEndpoint listen, ServerCertificate? certificate, LinkShape network, ForwardingProfile forwarding, bool inlineIo, RouteTable routes, EdgeProxyRuntime runtime, ILoggerFactory loggerFactory)
    {
        // The empty builder reads no appsettings or ASPNETCORE_* variables: the proxy listens where it is told, only.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        // Hosting starts an Activity (and a log scope) for every request as soon as its diagnostics logger is enabled
        // at any level; nothing here reads them, so that category is silenced and requests start no Activity.
        builder.Services.AddSingleton<ILoggerFactory>(new QuietHostingLoggerFactory(loggerFactory));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A transparent proxy passes any body the upstream accepts; the upstream enforces its own limits.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(listen.Address, listen.Port, l =>
            {
                if (!network.IsNone)
                {
                    // Before TLS: the handshake crosses the shaped path like every other byte.
                    var shaper = new NetworkShaper(network, runtime.Seed);
                    l.Use(next => connection => shaper.OnConnectionAsync(connection, () => next(connection)));
                }
                if (certificate is null)
                {
                    // Plain text: HTTP/1.1 (browsers and most clients speak HTTP/2 only over TLS).
                    l.Protocols = HttpProtocols.Http1;
                    return;
                }
                // TLS: ALPN offers h2 and http/1.1; Kestrel accepts WebSockets over HTTP/2 (RFC 8441) by itself.
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate.Leaf,
                    ServerCertificateChain = certificate.Chain.Count > 0 ? certificate.Chain : null,
                    SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                });
            });
        });
        if (inlineIo)
        {
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }
        builder.Services.AddRoutingCore();
        builder.Services.AddReverseProxy().LoadFromMemory(routes.RouteConfigs(), routes.ClusterConfigs());
        // YARP registers the authorization services (a route may name a policy), and WebApplication puts an
        // authorization middleware in front of every request whenever their handler provider is registered. The
        // edge's routes name no policy: without the provider that middleware (an async step and ~150 bytes per
        // request) is left out.
        builder.Services.RemoveAll<Microsoft.AspNetCore.Authorization.IAuthorizationHandlerProvider>();
        if (forwarding == ForwardingProfile.Tuned)
        {
            builder.Services.AddSingleton<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory, TunedHttpClientFactory>();
        }

        var app = builder.Build();
        routes.Attach(app.Services.GetRequiredService<InMemoryConfigProvider>());
        var faults = new HttpFaultMiddleware(runtime);
        app.Use(ClientErrors.UnforwardableRequestMiddleware.InvokeAsync);
        app.UseRouting();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(next => context => faults.InvokeAsync(context, context.GetReverseProxyFeature().Route.Config.RouteId, next));
            pipeline.UseLoadBalancing();
        });
        return app;
    }

    private static async Task StartListeningAsync(WebApplication app, string setting, ListenEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e is not ProxyListenException)
        {
            throw new ProxyListenException(setting, endpoint.ToString(), e);
        }
    }

    internal static string BoundAddress(WebApplication app)
        => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}

using Microsoft.Extensions.Logging;
using Replica.Proxy.Edge;
using Replica.Proxy.Edge.Forwarding;

namespace Replica.Tests.Support;

/// <summary>Two real upstreams (auth, backend) behind a real edge proxy with the staging routes, and an HttpClient to it.</summary>
public sealed class ProxyHarness : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private ProxyHarness(UpstreamServer auth, UpstreamServer backend, Replica.Proxy.Edge.EdgeProxy proxy, ListLoggerProvider log, ILoggerFactory loggerFactory)
    {
        Auth = auth;
        Backend = backend;
        Proxy = proxy;
        Log = log;
        _loggerFactory = loggerFactory;
        Http = new HttpClient { BaseAddress = proxy.Url, Timeout = TimeSpan.FromSeconds(30) };
        AdminHttp = new HttpClient { BaseAddress = proxy.AdminUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public UpstreamServer Auth { get; }
    public UpstreamServer Backend { get; }
    public Replica.Proxy.Edge.EdgeProxy Proxy { get; }
    public ListLoggerProvider Log { get; }
    public HttpClient Http { get; }
    public HttpClient AdminHttp { get; }

    public static async Task<ProxyHarness> StartAsync(Func<EdgeProxyOptions, EdgeProxyOptions>? configure = null)
    {
        var auth = await UpstreamServer.StartAsync("auth");
        var backend = await UpstreamServer.StartAsync("backend");
        var log = new ListLoggerProvider();
        var loggerFactory = new LoggerFactory([log]);
        try
        {
            var options = new EdgeProxyOptions
            {
                Routes = StagingRoutes.Create(auth.Url, backend.Url),
                Seed = 42,
                LoggerFactory = loggerFactory,
            };
            var proxy = await Replica.Proxy.Edge.EdgeProxy.StartAsync(configure?.Invoke(options) ?? options);
            return new ProxyHarness(auth, backend, proxy, log, loggerFactory);
        }
        catch
        {
            loggerFactory.Dispose();
            await auth.DisposeAsync();
            await backend.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        AdminHttp.Dispose();
        await Proxy.DisposeAsync();
        await Auth.DisposeAsync();
        await Backend.DisposeAsync();
        _loggerFactory.Dispose();
    }
}

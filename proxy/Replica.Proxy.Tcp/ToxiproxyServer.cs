using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Proxy.Tcp.Api;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Proxy.Tcp;

/// <summary>
/// A TCP fault proxy server speaking Toxiproxy's HTTP API, in-process. <see cref="Proxies"/> is the same set of
/// proxies the API manages, for callers in C#. Disposing closes the API, every listener and every connection.
/// </summary>
public sealed class ToxiproxyServer : IAsyncDisposable
{
    /// <summary>The Toxiproxy version whose API this implements; clients compare it (≥ 2.6.0 means PATCH works).</summary>
    public const string Version = "2.12.0";

    private readonly WebApplication app;

    private ToxiproxyServer(WebApplication app, ProxyCollection proxies, Uri apiUrl)
    {
        this.app = app;
        Proxies = proxies;
        ApiUrl = apiUrl;
    }

    /// <summary>Where the HTTP API listens, with the actual port, e.g. http://127.0.0.1:8474/.</summary>
    public Uri ApiUrl { get; }

    public ProxyCollection Proxies { get; }

    public int Seed => Proxies.Seed;

    public static async Task<ToxiproxyServer> StartAsync(ToxiproxyServerOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new ToxiproxyException(400, $"API port {options.Port}: expected 0 to 65535 (0 picks a free port)");
        }
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var address = ResolveHost(options.Host);
        var proxies = new ProxyCollection(options.Seed ?? Random.Shared.Next(), loggerFactory, options.ProxyMetrics, options.TimeProvider);
        // An empty builder: no appsettings.json or environment variables from wherever the CLI runs can change it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(NullLoggerFactory.Instance as ILoggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port);
        });
        var app = builder.Build();
        var api = new ToxiproxyApi(proxies, options, loggerFactory.CreateLogger("Replica.Proxy.Tcp.Api"));
        app.Run(api.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await app.DisposeAsync();
            var reason = BindFailure(e);
            throw new ToxiproxyException(500, $"listen tcp {options.Host}:{options.Port}: {reason}",
                hint: "choose an address of this machine with --host and a free port with --port", inner: e);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ToxiproxyServer(app, proxies, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Proxies.DisposeAsync();
    }

    /// <summary>Go's wording for Kestrel's bind failures, which nest the SocketException (or Kestrel's own "address in use").</summary>
    private static string BindFailure(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return "bind: " + ListenAddress.DescribeBindError(socket.SocketErrorCode);
            }
            if (e is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                return "bind: " + ListenAddress.DescribeBindError(SocketError.AddressAlreadyInUse);
            }
        }
        return error.Message;
    }

    private static IPAddress ResolveHost(string host)
    {
        if (string.IsNullOrEmpty(host) || host == "0.0.0.0")
        {
            return IPAddress.Any;
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return address;
        }
        return ListenAddress.TryLookup(host, out var resolved)
            ? resolved
            : throw new ToxiproxyException(400, $"cannot resolve API host {host}", hint: "give an IP address or a resolvable name with --host");
    }
}

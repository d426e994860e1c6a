using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Replica.Bench.EdgeProxy;

/// <summary>
/// A benchmark target, not a benchmark: the smallest YARP 2.3 reverse proxy, as its documentation starts one —
/// WebApplication.CreateBuilder, AddReverseProxy().LoadFromMemory with one catch-all route and one destination,
/// MapReverseProxy() with its default pipeline and YARP's default HttpClient. Only the log level is raised to Warning,
/// as any deployment's appsettings would (at Information YARP logs every request). Runs until SIGTERM or Ctrl+C.
/// `edge-proxy-http` starts it in its own process: bare-yarp LISTEN_URL UPSTREAM_URL.
/// </summary>
public sealed class BareYarpApp : IBenchmark
{
    /// <summary>
    /// Starts the app in its own process with the runtime settings a YARP app has by default. Such an app is an
    /// ASP.NET Core project (Microsoft.NET.Sdk.Web), whose build writes System.GC.Server: true into its
    /// runtimeconfig.json; this bench is a console project, so the process gets the same setting from DOTNET_gcServer.
    /// <paramref name="serverGc"/> false keeps the console default (workstation GC), as the runs before 2026-12-06
    /// 14:27 UTC measured it.
    /// </summary>
    internal static Task<DotnetTargetProcess> StartAsync(Uri upstream, bool serverGc, CancellationToken cancellationToken) =>
        DotnetTargetProcess.StartAsync(["bare-yarp", "http://127.0.0.1:0", upstream.ToString()], cancellationToken,
            environment: new Dictionary<string, string> { ["DOTNET_gcServer"] = serverGc ? "1" : "0" });

    public string Name => "bare-yarp";

    public string Description => "(a target other benchmarks start) a default YARP 2.3 app: bare-yarp http://127.0.0.1:PORT UPSTREAM_URL";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var listen = BenchArguments.Text(args, 0, "http://127.0.0.1:0");
        var upstream = BenchArguments.Text(args, 1, "http://127.0.0.1:8080/");
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(listen);
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/{**rest}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["upstream"] = new() { Address = upstream } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync(cancellationToken);
        output.WriteLine(app.Urls.First());
        output.Flush();
        // The host's own lifetime ends it on SIGTERM (how the benchmark stops its targets) as on Ctrl+C.
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Replica.Proxy.Edge.Faults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Replica.Proxy.Edge.Forwarding;

/// <summary>
/// <see cref="ForwardingProfile.Tuned"/>'s forwarding: every route is an endpoint of ASP.NET Core's routing whose
/// handler runs the fault middleware and then hands the request to YARP's <see cref="IHttpForwarder"/> directly.
/// <para>
/// Kept as YARP's <c>MapReverseProxy</c> has it: matching (the route's template, parsed by the same route-pattern
/// parser and matched by the same endpoint matcher, with the route's position as its order — the first route that
/// matches wins, and a request no route matches is a 404 with an empty body); what the upstream sees
/// (<see cref="HttpTransformer.Default"/> is the transform set YARP gives a route that declares none: the client's Host
/// is replaced by the upstream's, and X-Forwarded-For, -Proto, -Host and -Prefix are set); the request settings
/// (<see cref="RouteTable.RequestConfig"/>); the answers when forwarding fails, which the forwarder writes itself
/// (502 when the upstream cannot be reached, 504 when it does not answer within the activity timeout, both without a
/// body).
/// </para>
/// <para>
/// Left out: YARP's per-request proxy pipeline — its request feature, destination selection and load balancing,
/// session affinity, passive health checks, per-destination concurrency counting — none of which a route with one
/// upstream uses. The upstream is read per request (<see cref="RouteTable.DestinationPrefix"/>), so a changed upstream
/// applies to the next request and open connections stay where they are.
/// </para>
/// </summary>
internal static class DirectForwarding
{
    /// <summary>Registers the forwarder and the upstream client (disposed with the app's services).</summary>
    public static void AddServices(IServiceCollection services)
    {
        services.AddHttpForwarder();
        // One client for every route: its connection pools are per upstream. YARP's settings for a proxy's client
        // (no cookies, redirects, decompression or system proxy) plus the tuning of TunedHttpClientFactory.
        services.AddSingleton(_ => new TunedHttpClientFactory().CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty }));
    }

    /// <summary>Maps one endpoint per route, in the routes' order.</summary>
    public static void MapRoutes(WebApplication app, RouteTable routes, HttpFaultMiddleware faults)
    {
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var client = app.Services.GetRequiredService<HttpMessageInvoker>();
        var requestConfig = routes.RequestConfig();
        var transformer = HttpTransformer.Default;
        for (var i = 0; i < routes.Routes.Count; i++)
        {
            var index = i;
            var route = routes.Routes[i];
            RequestDelegate forward = context =>
                Completion(forwarder.SendAsync(context, routes.DestinationPrefix(index), client, requestConfig, transformer));
            app.Map(route.RoutePattern, context => faults.InvokeAsync(context, route.Name, forward))
                .WithOrder(i)
                .WithDisplayName($"route {route.Name}");
        }
    }

    /// <summary>
    /// The forwarding as a plain Task: the outcome needs no handling here, the forwarder has already answered the
    /// client (with the upstream's response, or the error status) and logged a failure.
    /// </summary>
    private static Task Completion(ValueTask<ForwarderError> sending) => sending.IsCompletedSuccessfully ? Task.CompletedTask : sending.AsTask();
}

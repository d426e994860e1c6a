using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Replica.Proxy.Faults.Actions;
using Replica.Proxy.Faults.Matching;
using Replica.Proxy.WebSockets;

namespace Replica.Proxy.Faults;

/// <summary>
/// First step of YARP's proxy pipeline: applies the HTTP actions of matching rules, in the order the rules were added,
/// until one answers the request; installs the WebSocket frame layer on upgrades; measures upstream latency.
/// </summary>
internal sealed class HttpFaultMiddleware(EdgeProxyRuntime runtime)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var route = context.GetReverseProxyFeature().Route.Config.RouteId;
        var isWebSocket = IsWebSocketRequest(context);
        runtime.Metrics.Request(route, isWebSocket);
        var request = new RequestFacts(route, context.Request.Path.Value ?? "/", context.Request.Method, context.Request.Headers, isWebSocket);

        try
        {
            foreach (var rule in runtime.Rules.Snapshot.Http)
            {
                var action = (HttpFaultAction)rule.Rule.Action;
                if (!rule.Rule.Match.Matches(request) || !rule.IsActive(runtime.Clock) || !rule.Roll())
                {
                    continue;
                }
                using var faultContext = new HttpFaultContext(context, rule, request, runtime.Clock);
                var outcome = await action.ApplyAsync(faultContext);
                if (outcome == FaultOutcome.NotInjected)
                {
                    continue;
                }
                runtime.RecordFault(rule, action.Kind, $"request={context.TraceIdentifier} {request.Method} {request.Path}", faultContext.Detail);
                if (outcome == FaultOutcome.Ended)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || runtime.Clock.Stopping.IsCancellationRequested)
        {
            // The client left while a fault held its request: nothing left to answer. The proxy is stopping: answer
            // at once rather than forward a request the proxy is about to cut.
            if (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                var body = JsonSerializer.Serialize(new { detail = "the proxy is stopping" });
                await AbortAction.WriteResponseAsync(context.Response, StatusCodes.Status503ServiceUnavailable, body, null, context.RequestAborted);
            }
            return;
        }

        WebSocketFaultSession? session = null;
        if (isWebSocket)
        {
            if (!runtime.AllowWebSocketCompression)
            {
                // Without compression every frame's payload is readable, and dropping or injecting a message cannot
                // corrupt a receiver's inflate state (permessage-deflate with context takeover).
                context.Request.Headers.Remove(HeaderNames.SecWebSocketExtensions);
            }
            Stream Wrap(Stream clientStream)
            {
                session = new WebSocketFaultSession(runtime, request, context, clientStream);
                return session.Stream;
            }
            var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
            context.Features.Set<IHttpUpgradeFeature>(new FaultingUpgradeFeature(upgrade, Wrap));
        }

        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(static state =>
        {
            var (metrics, route, started) = ((Metrics.ProxyMetrics, string, long))state;
            metrics.UpstreamLatency(route, Stopwatch.GetElapsedTime(started));
            return Task.CompletedTask;
        }, (runtime.Metrics, route, started));

        try
        {
            await next();
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    // The listener speaks HTTP/1.1 only, so a WebSocket always arrives as an Upgrade (never as HTTP/2 extended CONNECT).
    private static bool IsWebSocketRequest(HttpContext context)
    {
        return context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
               && context.Request.Headers.Upgrade.Any(v => v is not null && v.Contains("websocket", StringComparison.OrdinalIgnoreCase));
    }
}

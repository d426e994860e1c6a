using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Proxy.Edge.WebSockets;
using System.Text.Json.Nodes;

namespace Replica.Proxy.Edge.Faults;

/// <summary>
/// Runs before a request is forwarded, told which route it matched: applies the HTTP actions of matching rules, in
/// the order the rules were added, until one answers the request; installs the WebSocket frame layer on upgrades
/// (HTTP/1.1 Upgrade and HTTP/2 extended CONNECT alike); measures upstream latency. A plain request that no rule
/// matches goes straight on: no await, no allocation beyond the facts the rules are matched against.
/// </summary>
internal sealed class HttpFaultMiddleware(EdgeProxyRuntime runtime)
{
    private static readonly Func<object, Task> RecordUpstreamLatency = static state =>
    {
        var (metrics, route, started) = ((Metrics.EdgeProxyMetrics, string, long))state;
        metrics.UpstreamLatency(route, Stopwatch.GetElapsedTime(started));
        return Task.CompletedTask;
    };

    /// <summary>Handles a request that <paramref name="route"/> matched; <paramref name="next"/> forwards it.</summary>
    public Task InvokeAsync(HttpContext context, string route, RequestDelegate next)
    {
        var extendedConnect = context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect
                              && string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        var isWebSocket = extendedConnect || IsUpgradeToWebSocket(context);
        runtime.Metrics.Request(route, isWebSocket);
        if (runtime.Tap.Active)
        {
            TapWhenAnswered(context, route, extendedConnect ? HttpMethods.Get : context.Request.Method, isWebSocket);
        }

        var rules = runtime.Rules.Snapshot.Http;
        RequestFacts? request = null;
        var first = -1;
        if (rules.Length > 0 || isWebSocket)
        {
            // A WebSocket over HTTP/2 arrives as CONNECT; rules are written against the handshake's GET.
            request = new RequestFacts(route, context.Request.Path.Value ?? "/", extendedConnect ? HttpMethods.Get : context.Request.Method,
                context.Request.Headers, isWebSocket);
            first = FirstApplicable(rules, 0, request);
        }
        if (first >= 0)
        {
            return ApplyRulesAsync(context, next, route, request!, rules, first, extendedConnect);
        }
        return ForwardAsync(context, next, route, request, extendedConnect);
    }

    private int FirstApplicable(InstalledRule[] rules, int from, RequestFacts request)
    {
        for (var i = from; i < rules.Length; i++)
        {
            var rule = rules[i];
            if (rule.Rule.Match.Matches(request) && rule.IsActive(runtime.Clock) && rule.Roll())
            {
                return i;
            }
        }
        return -1;
    }

    private async Task ApplyRulesAsync(HttpContext context, RequestDelegate next, string route, RequestFacts request, InstalledRule[] rules, int first, bool extendedConnect)
    {
        try
        {
            for (var i = first; i >= 0; i = FirstApplicable(rules, i + 1, request))
            {
                var rule = rules[i];
                var action = (HttpFaultAction)rule.Rule.Action;
                using var faultContext = new HttpFaultContext(context, rule, request, runtime);
                var outcome = await action.ApplyAsync(faultContext);
                if (outcome == FaultOutcome.NotInjected)
                {
                    continue;
                }
                faultContext.Injecting();
                runtime.LogFault(rule, action.Kind, $"request={context.TraceIdentifier} {request.Method} {request.Path}", faultContext.Detail);
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
                var body = new JsonObject { ["detail"] = "the proxy is stopping" }.ToJsonString();
                await AbortAction.WriteResponseAsync(context.Response, StatusCodes.Status503ServiceUnavailable, body, null, context.RequestAborted);
            }
            return;
        }
        await ForwardAsync(context, next, route, request, extendedConnect);
    }

    private Task ForwardAsync(HttpContext context, RequestDelegate next, string route, RequestFacts? request, bool extendedConnect)
    {
        context.Response.OnStarting(RecordUpstreamLatency, (runtime.Metrics, route, Stopwatch.GetTimestamp()));
        return request is { IsWebSocket: true } ? ForwardWebSocketAsync(context, next, request, extendedConnect) : next(context);
    }

    private async Task ForwardWebSocketAsync(HttpContext context, RequestDelegate next, RequestFacts request, bool extendedConnect)
    {
        if (!runtime.AllowWebSocketCompression)
        {
            // Without compression every frame's payload is readable, and dropping or injecting a message cannot
            // corrupt a receiver's inflate state (permessage-deflate with context takeover).
            context.Request.Headers.Remove(HeaderNames.SecWebSocketExtensions);
        }
        WebSocketFaultSession? session = null;
        Stream Wrap(Stream clientStream)
        {
            session = new WebSocketFaultSession(runtime, request, context, clientStream);
            return session.Stream;
        }
        if (extendedConnect)
        {
            var connect = context.Features.Get<IHttpExtendedConnectFeature>()!;
            context.Features.Set<IHttpExtendedConnectFeature>(new FaultingExtendedConnectFeature(connect, Wrap));
        }
        else
        {
            var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
            context.Features.Set<IHttpUpgradeFeature>(new FaultingUpgradeFeature(upgrade, Wrap));
        }
        try
        {
            await next(context);
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    private void TapWhenAnswered(HttpContext context, string route, string method, bool isWebSocket)
    {
        var started = Stopwatch.GetTimestamp();
        var path = context.Request.Path.Value ?? "/";
        // A WebSocket's handshake is answered (101) long before the request ends: it is reported when it starts.
        context.Response.OnStarting(() =>
        {
            if (isWebSocket)
            {
                runtime.Tap.Request(route, method, path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started), webSocket: true);
            }
            return Task.CompletedTask;
        });
        context.Response.OnCompleted(() =>
        {
            if (!isWebSocket)
            {
                runtime.Tap.Request(route, method, path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started), webSocket: false);
            }
            return Task.CompletedTask;
        });
    }

    private static bool IsUpgradeToWebSocket(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true })
        {
            return false;
        }
        foreach (var value in context.Request.Headers.Upgrade)
        {
            if (value is not null && value.Contains("websocket", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}

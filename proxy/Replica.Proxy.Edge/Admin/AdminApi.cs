using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Tcp.Json;

namespace Replica.Proxy.Edge.Admin;

/// <summary>
/// The admin HTTP API (see proxy/Replica.Proxy.Edge/RULES.md): rules (list, add, remove, clear), counters, Prometheus /metrics,
/// upstreams and their restarts. Its own listener, loopback unless a token guards it.
/// </summary>
internal sealed class AdminApi(EdgeProxyRuntime runtime, RouteTable routes)
{
    private const int MaxBodyBytes = 1024 * 1024;

    // Readable with curl: messages keep their quotes and '≥' instead of \u escapes (never served as HTML).
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static WebApplication Build(ListenEndpoint listen, string? token, EdgeProxyRuntime runtime, RouteTable routes, ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(listen.Address, listen.Port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var logger = loggerFactory.CreateLogger("Replica.Proxy.Edge.Admin");
        // The last word on any request: a client error keeps its 4xx; a bug is logged and answered in the API's shape,
        // never with an exception's text.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                var detail = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"the body is larger than {MaxBodyBytes} bytes; nothing was applied"
                    : $"malformed request (HTTP {ex.StatusCode}); nothing was applied";
                await Json(context, ex.StatusCode, new JsonObject { ["detail"] = detail });
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
            {
                logger.LogError(ex, "admin {Method} {Path} failed", context.Request.Method, context.Request.Path);
                await Json(context, StatusCodes.Status500InternalServerError, new JsonObject { ["detail"] = "internal error of the edge proxy's admin API; its log has the details" });
            }
        });
        if (!string.IsNullOrEmpty(token))
        {
            var expected = Encoding.UTF8.GetBytes($"Bearer {token}");
            app.Use(async (context, next) =>
            {
                var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (!CryptographicOperations.FixedTimeEquals(given, expected))
                {
                    await Json(context, StatusCodes.Status401Unauthorized, new JsonObject { ["detail"] = "admin token required: send Authorization: Bearer TOKEN" });
                    return;
                }
                await next(context);
            });
        }
        app.UseRouting();
        new AdminApi(runtime, routes).Map(app);
        return app;
    }

    private void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", HealthAsync);
        app.MapGet("/rules", ListRulesAsync);
        app.MapPost("/rules", AddRulesAsync);
        app.MapDelete("/rules", ClearRulesAsync);
        app.MapDelete("/rules/{id}", RemoveRuleAsync);
        app.MapGet("/counters", CountersAsync);
        app.MapGet("/metrics", MetricsAsync);
        app.MapGet("/upstreams", UpstreamsAsync);
        app.MapPost("/upstreams/{route}/restarted", RestartedAsync);
    }

    private Task HealthAsync(HttpContext context)
        => Json(context, 200, new JsonObject { ["status"] = "ok", ["seed"] = runtime.Seed, ["rules"] = runtime.Rules.Count });

    private Task ListRulesAsync(HttpContext context)
    {
        var rules = new JsonArray();
        foreach (var status in runtime.Rules.List())
        {
            rules.Add((JsonNode)new JsonObject
            {
                ["rule"] = FaultRuleWriter.Write(status.Rule),
                ["addedAt"] = status.AddedAt.ToString("O"),
                ["injected"] = status.Injected,
            });
        }
        return Json(context, 200, new JsonObject { ["seed"] = runtime.Seed, ["rules"] = rules });
    }

    private async Task AddRulesAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await Json(context, StatusCodes.Status413PayloadTooLarge, new JsonObject { ["detail"] = $"the body is larger than {MaxBodyBytes} bytes; nothing was applied" });
            return;
        }
        // Strings that parse but do not decode (bad UTF-8, lone surrogates) are refused before anything reads them.
        if (JsonTextCheck.Find(body) is { } undecodable)
        {
            await Errors(context, [new RuleError(undecodable.Field, $"{undecodable}; strings must be Unicode text")]);
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            await Errors(context, [new RuleError("", RequestBody.DescribeInvalidJson(ex, body))]);
            return;
        }
        using (document)
        {
            var parsed = FaultRuleParser.Parse(document.RootElement);
            if (!parsed.Succeeded)
            {
                await Errors(context, parsed.Errors);
                return;
            }
            IReadOnlyList<Faults.FaultRule> added;
            try
            {
                added = runtime.Rules.AddRange(parsed.Rules);
            }
            catch (ArgumentException ex)
            {
                await Json(context, StatusCodes.Status409Conflict, new JsonObject { ["detail"] = ex.Message.Split(" (Parameter")[0] });
                return;
            }
            await Json(context, StatusCodes.Status201Created, new JsonObject { ["rules"] = new JsonArray(added.Select(r => (JsonNode)FaultRuleWriter.Write(r)).ToArray()) });
        }
    }

    private Task RemoveRuleAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (!runtime.Rules.Remove(id))
        {
            return Json(context, 404, new JsonObject { ["detail"] = $"no rule with id '{id}'" });
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private Task ClearRulesAsync(HttpContext context)
        => Json(context, 200, new JsonObject { ["removed"] = runtime.Rules.Clear() });

    private Task CountersAsync(HttpContext context)
    {
        var c = runtime.Metrics.Snapshot();
        return Json(context, 200, new JsonObject
        {
            ["requests"] = c.Requests,
            ["webSocketRequests"] = c.WebSocketRequests,
            ["webSocketsOpen"] = c.WebSocketsOpen,
            ["webSocketMessagesForwarded"] = c.WebSocketMessagesForwarded,
            ["webSocketMessagesDropped"] = c.WebSocketMessagesDropped,
            ["webSocketMessagesInjected"] = c.WebSocketMessagesInjected,
            ["faultsInjected"] = c.FaultsInjected,
            ["faultsByRule"] = new JsonObject(c.FaultsByRule.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
            ["faultsByKind"] = new JsonObject(c.FaultsByKind.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
        });
    }

    private async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(runtime.Metrics.ToPrometheusText(runtime.Rules.Count), context.RequestAborted);
    }

    private Task UpstreamsAsync(HttpContext context)
        => Json(context, 200, new JsonObject
        {
            ["upstreams"] = new JsonArray(routes.Routes.Select(r => (JsonNode)new JsonObject
            {
                ["route"] = r.Name,
                ["pattern"] = r.Pattern,
                ["upstream"] = r.Upstream.ToString(),
            }).ToArray()),
        });

    private Task RestartedAsync(HttpContext context)
    {
        var route = (string)context.Request.RouteValues["route"]!;
        if (!routes.MarkRestarted(route, runtime.Clock))
        {
            return Json(context, 404, new JsonObject { ["detail"] = $"no route named '{route}'; routes: {string.Join(", ", routes.Routes.Select(r => r.Name))}" });
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task Errors(HttpContext context, IEnumerable<RuleError> errors)
        => Json(context, 400, new JsonObject
        {
            ["detail"] = "invalid rule; nothing was applied",
            ["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["field"] = e.Field, ["message"] = e.Message }).ToArray()),
        });

    private static async Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Output), context.RequestAborted);
    }
}

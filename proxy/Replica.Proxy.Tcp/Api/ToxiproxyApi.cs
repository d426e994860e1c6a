using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Replica.Proxy.Tcp.Configuration;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Proxy.Tcp.Api;

/// <summary>
/// Toxiproxy 2.x's HTTP API over a <see cref="ProxyCollection"/>: its routes, status codes, bodies and quirks
/// (404 text for unknown paths, 405 with no body for a wrong method, 403 for browsers, a request id on matched routes).
/// Every handler is a thin translation; the behaviour lives in the proxies.
/// </summary>
internal sealed class ToxiproxyApi(ProxyCollection proxies, ToxiproxyServerOptions options, ILogger logger)
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var query = target.IndexOf('?');
        // Matched on the fully decoded path, as gorilla/mux does: "%2F" in a name splits it.
        var segments = Uri.UnescapeDataString(query < 0 ? target : target[..query]).Split('/');
        var methods = Methods(segments);
        if (methods is null)
        {
            await WriteTextAsync(context, 404, "404 page not found\n");
            return;
        }
        if (!methods.Contains(request.Method))
        {
            context.Response.StatusCode = 405;
            return;
        }
        context.Response.Headers["X-Toxiproxy-Request-Id"] = RequestIds.Next();
        if (request.Headers.UserAgent.ToString().StartsWith("Mozilla/", StringComparison.Ordinal))
        {
            await WriteTextAsync(context, 403, "User agent not allowed\n");
            return;
        }
        logger.LogDebug("API {Method} {Path}", request.Method, request.Path);
        try
        {
            await DispatchAsync(context, segments);
        }
        catch (PopulateException e)
        {
            await WriteErrorAsync(context, e, [.. e.Processed.Select(p => p.State)], isPopulate: true);
        }
        catch (ToxiproxyException e)
        {
            await WriteErrorAsync(context, e, null, segments is [_, "populate"]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not an answer: logged with its stack, answered in the API's shape without the exception's text.
            logger.LogError(e, "API {Method} {Path} failed", request.Method, request.Path);
            if (!context.Response.HasStarted)
            {
                await WriteErrorAsync(context, new ToxiproxyException(500, "internal error of the Toxiproxy API; the server log has the details"), null, segments is [_, "populate"]);
            }
        }
    }

    private string[]? Methods(string[] segments) => segments switch
    {
        ["", "proxies"] => ["GET", "POST"],
        ["", "populate"] or ["", "reset"] => ["POST"],
        ["", "version"] => ["GET"],
        ["", "metrics"] when options.ProxyMetrics || options.RuntimeMetrics => ["GET"],
        ["", "proxies", { Length: > 0 }] => ["GET", "POST", "PATCH", "DELETE"],
        ["", "proxies", { Length: > 0 }, "toxics"] => ["GET", "POST"],
        ["", "proxies", { Length: > 0 }, "toxics", { Length: > 0 }] => ["GET", "POST", "PATCH", "DELETE"],
        _ => null,
    };

    private async Task DispatchAsync(HttpContext context, string[] segments)
    {
        var method = context.Request.Method;
        switch (segments)
        {
            case [_, "proxies"] when method == "GET":
                await WriteJsonAsync(context, 200, ApiJson.Proxies(proxies.List().Select(p => p.State)));
                break;
            case [_, "proxies"]:
                var created = proxies.Create(DefinitionReader.Proxy(await ReadBodyAsync(context)));
                await WriteJsonAsync(context, 201, ApiJson.Proxy(created.State));
                break;
            case [_, "populate"]:
                var populated = proxies.Populate(DefinitionReader.Proxies(await ReadBodyAsync(context)));
                await WriteJsonAsync(context, 201, ApiJson.Populated([.. populated.Select(p => p.State)]));
                break;
            case [_, "reset"]:
                proxies.Reset();
                context.Response.StatusCode = 204;
                break;
            case [_, "version"]:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json;charset=utf-8";
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"version\": \"{ToxiproxyServer.Version}\"}}\n"));
                break;
            case [_, "metrics"]:
                await WriteTextAsync(context, 200, Metrics(), "text/plain; version=0.0.4; charset=utf-8");
                break;
            case [_, "proxies", var name] when method == "GET":
                await WriteJsonAsync(context, 200, ApiJson.Proxy(proxies.Get(name).State));
                break;
            case [_, "proxies", var name] when method == "DELETE":
                proxies.Delete(name);
                context.Response.StatusCode = 204;
                break;
            case [_, "proxies", var name]:
                var proxy = proxies.Get(name);
                var updated = proxy.Update(DefinitionReader.ProxyUpdate(await ReadBodyAsync(context)));
                await WriteJsonAsync(context, 200, ApiJson.Proxy(updated));
                break;
            case [_, "proxies", var name, _] when method == "GET":
                await WriteJsonAsync(context, 200, ApiJson.Toxics(proxies.Get(name).Toxics));
                break;
            case [_, "proxies", var name, _]:
                var target = proxies.Get(name);
                var toxic = target.AddToxic(DefinitionReader.Toxic(await ReadBodyAsync(context)));
                await WriteJsonAsync(context, 200, ApiJson.Toxic(toxic));
                break;
            case [_, "proxies", var name, _, var toxicName] when method == "GET":
                await WriteJsonAsync(context, 200, ApiJson.Toxic(proxies.Get(name).GetToxic(toxicName)));
                break;
            case [_, "proxies", var name, _, var toxicName] when method == "DELETE":
                proxies.Get(name).RemoveToxic(toxicName);
                context.Response.StatusCode = 204;
                break;
            case [_, "proxies", var name, _, var toxicName]:
                var owner = proxies.Get(name);
                owner.GetToxic(toxicName);
                var changed = owner.UpdateToxic(toxicName, DefinitionReader.ToxicUpdate(await ReadBodyAsync(context)));
                await WriteJsonAsync(context, 200, ApiJson.Toxic(changed));
                break;
        }
    }

    private string Metrics()
    {
        var text = new StringBuilder();
        if (options.ProxyMetrics)
        {
            proxies.Metrics?.WriteProxyMetrics(text);
        }
        if (options.RuntimeMetrics)
        {
            TcpProxyMetrics.WriteRuntimeMetrics(text);
        }
        return text.ToString();
    }

    private static async Task<JsonElement> ReadBodyAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                throw ToxiproxyException.BadRequestBody($"larger than {MaxBodyBytes} bytes");
            }
            body.Write(buffer, 0, read);
        }
        return LenientJson.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body);
    }

    // Toxiproxy writes errors through Go's http.Error, hence text/plain and nosniff around a JSON body; its populate
    // handler marshals the error into its usual JSON answer instead.
    private static async Task WriteErrorAsync(HttpContext context, ToxiproxyException error, IReadOnlyList<ProxyState>? populated, bool isPopulate)
    {
        context.Response.StatusCode = error.StatusCode;
        if (isPopulate)
        {
            context.Response.ContentType = "application/json";
        }
        else
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.XContentTypeOptions = "nosniff";
        }
        await context.Response.Body.WriteAsync(ApiJson.Error(error, populated, isPopulate));
    }

    private static async Task WriteTextAsync(HttpContext context, int status, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
    }
}

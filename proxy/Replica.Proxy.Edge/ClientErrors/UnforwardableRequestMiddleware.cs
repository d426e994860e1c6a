using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Replica.Proxy.Edge.ClientErrors;

/// <summary>
/// Answers, before routing, the requests the edge proxy could accept but never forward, as the client errors they
/// are instead of YARP's 502 "bad gateway": <c>CONNECT</c> (the edge is no tunnel) is a 405 — except the extended
/// CONNECT that opens an HTTP/2 WebSocket (RFC 8441), which is forwarded —, and a header value with a non-ASCII character (HTTP/1.1 clients must encode such text, e.g. RFC 8187; the forwarding client refuses to
/// send it) is a 400 naming the header. Bodies are the edge's own error shape, <c>{"detail": …}</c>.
/// </summary>
internal static class UnforwardableRequestMiddleware
{
    /// <summary>The methods the edge forwards, for the 405's Allow header.</summary>
    public const string ForwardedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        // An HTTP/2 WebSocket (RFC 8441) arrives as an extended CONNECT: that one the edge forwards.
        if (HttpMethods.IsConnect(request.Method) && context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect != true)
        {
            context.Response.Headers.Allow = ForwardedMethods;
            return WriteAsync(context, StatusCodes.Status405MethodNotAllowed,
                "CONNECT is not supported: the edge proxy forwards HTTP requests and WebSocket upgrades to its routes; it is not a tunnel");
        }
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                var at = FirstNonAscii(value);
                if (at >= 0)
                {
                    return WriteAsync(context, StatusCodes.Status400BadRequest,
                        $"header '{name}' cannot be forwarded: its value has the non-ASCII character U+{(int)value![at]:X4} at position {at}; " +
                        "header values must be ASCII (encode other text, e.g. percent-encoding or RFC 8187)");
                }
            }
        }
        return next(context);
    }

    private static int FirstNonAscii(string? value)
    {
        for (var i = 0; i < (value?.Length ?? 0); i++)
        {
            if (value![i] > '\u007f')
            {
                return i;
            }
        }
        return -1;
    }

    private static Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["detail"] = detail }.ToJsonString());
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}

using Replica.Environments.Errors;

namespace Replica.Proxy.Tcp;

/// <summary>
/// An error of the Toxiproxy API: <see cref="StatusCode"/> is the HTTP status and the message is the exact text
/// Toxiproxy's clients expect ("proxy not found", "toxic already exists", "listen tcp …: bind: address already in use").
/// Thrown by the in-process API and by <see cref="Client.ToxiproxyClient"/> for an error answer.
/// </summary>
public class ToxiproxyException : ReplicaException
{
    public ToxiproxyException(int statusCode, string message, string? hint = null, Exception? inner = null)
        : base(message, ExitCodeFor(statusCode), hint, inner)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    public static ToxiproxyException BadRequest(string message) => new(400, message);

    public static ToxiproxyException BadRequestBody(string reason) => new(400, "bad request body: " + reason);

    public static ToxiproxyException ProxyNotFound() => new(404, "proxy not found");

    public static ToxiproxyException ToxicNotFound() => new(404, "toxic not found");

    // 4xx is bad input (exit 2); 500s are a port in use or an address that does not resolve: the machine (exit 3).
    private static int ExitCodeFor(int statusCode) => statusCode >= 500 ? 3 : 2;
}

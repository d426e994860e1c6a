namespace Replica.Proxy.Tcp;

/// <summary>
/// An error of the Toxiproxy API: <see cref="StatusCode"/> is the HTTP status and the message is the exact text
/// Toxiproxy's clients expect ("proxy not found", "toxic already exists", "listen tcp …: bind: address already in use").
/// A 4xx is a request that cannot be carried out as asked; a 5xx is the machine refusing (a port in use, an address
/// that does not resolve). Thrown by the in-process API and by <see cref="Client.ToxiproxyClient"/> for an error answer.
/// </summary>
public class ToxiproxyException : Exception
{
    public ToxiproxyException(int statusCode, string message, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Hint = hint;
    }

    public int StatusCode { get; }

    /// <summary>How to fix it, when the message alone does not say (e.g. which option names the port).</summary>
    public string? Hint { get; }

    public static ToxiproxyException BadRequest(string message) => new(400, message);

    public static ToxiproxyException BadRequestBody(string reason) => new(400, "bad request body: " + reason);

    public static ToxiproxyException ProxyNotFound() => new(404, "proxy not found");

    public static ToxiproxyException ToxicNotFound() => new(404, "toxic not found");
}

namespace Replica.Proxy.Tcp.Configuration;

/// <summary>
/// toxiproxy-server's <c>-config</c> file cannot be used: it cannot be read, it is not the JSON the file takes, or a
/// proxy it declares cannot be created. The message starts with <c>config PATH:</c>.
/// </summary>
public sealed class ProxyConfigException(string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Hint { get; } = hint;

    /// <summary>
    /// The API's status for what is wrong in the file (400: malformed, 409: a name twice, 500: a listen address the
    /// machine refuses); null when the file could not be read at all.
    /// </summary>
    public int? StatusCode => (InnerException as ToxiproxyException)?.StatusCode;
}

namespace Replica.Proxy.Tcp.Client;

/// <summary>
/// No usable Toxiproxy API at the client's URL: nothing answers there, it does not answer in time, or what answers is
/// not Toxiproxy (an HTML page, another service's JSON). The message says where the client looked and what it got;
/// <see cref="Hint"/> says how to point it elsewhere. An error the API itself answers is a <see cref="ToxiproxyException"/>.
/// </summary>
public sealed class ToxiproxyUnavailableException(string message, string? hint = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Hint { get; } = hint;
}

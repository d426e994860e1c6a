namespace Replica.Proxy.Tcp.Proxies;

/// <summary>A populate that failed part way: the proxies processed before the failure stay, as in Toxiproxy, and are listed.</summary>
public sealed class PopulateException(ToxiproxyException error, IReadOnlyList<TcpProxy> processed)
    : ToxiproxyException(error.StatusCode, error.Message, error.Hint, error)
{
    public IReadOnlyList<TcpProxy> Processed { get; } = processed;
}

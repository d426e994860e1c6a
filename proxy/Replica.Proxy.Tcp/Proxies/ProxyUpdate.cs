namespace Replica.Proxy.Tcp.Proxies;

/// <summary>A change to a proxy (<c>POST|PATCH /proxies/{proxy}</c>): null keeps the current value.</summary>
public sealed record ProxyUpdate
{
    public string? Listen { get; init; }

    public string? Upstream { get; init; }

    public bool? Enabled { get; init; }
}

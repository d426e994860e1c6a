namespace Replica.Proxy.Tcp.Proxies;

/// <summary>Bytes of one metrics label set (direction, proxy, listener, upstream), added by links as they flow.</summary>
internal sealed class TrafficCounter
{
    public long Received;
    public long Sent;
}

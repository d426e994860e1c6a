namespace Replica.Proxy.Tcp.Client;

/// <summary>A proxy as a Toxiproxy API (Replica's or Shopify's) reports it.</summary>
public sealed record ProxyInfo(string Name, string Listen, string Upstream, bool Enabled, IReadOnlyList<ToxicInfo> Toxics);

using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// A proxy to create: the body of <c>POST /proxies</c>, an element of <c>/populate</c> or of the config file.
/// <paramref name="Listen"/> is "host:port" ("127.0.0.1:0" for an ephemeral port); <paramref name="Upstream"/> is
/// dialled for each accepted connection.
/// </summary>
public sealed record ProxyDefinition(string Name, string Listen, string Upstream)
{
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Toxics created with the proxy, before it accepts its first connection, so no connection escapes them.
    /// <c>/reset</c> restores exactly these (Toxiproxy has no such list, so there reset leaves no toxics).
    /// </summary>
    public IReadOnlyList<ToxicSpec>? Toxics { get; init; }
}

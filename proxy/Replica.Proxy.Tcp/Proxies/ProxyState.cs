using System.Collections.Immutable;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// A consistent view of a proxy, as the API prints it. <paramref name="Listen"/> is the bound address ("127.0.0.1:41234")
/// once the proxy has started, and the text as given while it never has. <paramref name="Toxics"/> lists upstream
/// toxics first, then downstream ones, each in the order they were added.
/// </summary>
public sealed record ProxyState(string Name, string Listen, string Upstream, bool Enabled, ImmutableArray<Toxic> Toxics);

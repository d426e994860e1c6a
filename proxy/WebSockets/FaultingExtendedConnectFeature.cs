using Microsoft.AspNetCore.Http.Features;

namespace Replica.Proxy.WebSockets;

/// <summary>The HTTP/2 (RFC 8441 extended CONNECT) counterpart of <see cref="FaultingUpgradeFeature"/>.</summary>
internal sealed class FaultingExtendedConnectFeature(IHttpExtendedConnectFeature inner, Func<Stream, Stream> wrap) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => wrap(await inner.AcceptAsync());
}

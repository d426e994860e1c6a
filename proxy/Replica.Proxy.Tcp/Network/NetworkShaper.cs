using System.Diagnostics;
using Microsoft.AspNetCore.Connections;

namespace Replica.Proxy.Tcp.Network;

/// <summary>
/// Kestrel connection middleware that puts every accepted connection behind a <see cref="LinkShape"/>. Installed
/// before TLS, so the handshake pays the path's round trips too. Each connection draws its jitter from its own
/// random stream, seeded from the proxy's seed and the connection's number.
/// </summary>
public sealed class NetworkShaper(LinkShape shape, int seed)
{
    private int _connections;

    public async Task OnConnectionAsync(ConnectionContext connection, Func<Task> next)
    {
        var acceptedAt = Stopwatch.GetTimestamp();
        var inner = connection.Transport;
        var shaped = new ShapedTransport(inner, shape, new Random(unchecked((seed * 397) ^ Interlocked.Increment(ref _connections))), acceptedAt);
        connection.Transport = shaped;
        try
        {
            await next();
        }
        finally
        {
            await shaped.FinishAsync(connection.ConnectionClosed);
            connection.Transport = inner;
        }
    }
}

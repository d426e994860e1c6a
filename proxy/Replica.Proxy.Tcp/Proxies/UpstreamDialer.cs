using System.Net;
using System.Net.Sockets;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>Connects to a proxy's upstream "host:port", resolved on every connection like Toxiproxy, IPv4 first.</summary>
internal static class UpstreamDialer
{
    public static async Task<Socket> ConnectAsync(string upstream, CancellationToken cancellationToken)
    {
        var colon = upstream.LastIndexOf(':');
        if (colon < 0 || !ushort.TryParse(upstream.AsSpan(colon + 1), out var port))
        {
            throw new SocketException((int)SocketError.HostNotFound, $"upstream {upstream}: missing or invalid port");
        }
        var host = upstream[..colon].Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal]
            : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : (await Dns.GetHostAddressesAsync(host, cancellationToken)).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ToArray();
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                last = e;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}

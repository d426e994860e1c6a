using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// "host:port" as Go's net.Listen reads it: "localhost" is 127.0.0.1, an empty host, 0.0.0.0 or :: is a dual-stack
/// wildcard reported as "[::]:port", IPv6 goes in brackets. Errors use Go's wording, which clients display.
/// </summary>
internal static class ListenAddress
{
    /// <summary>Resolves without binding; <paramref name="error"/> reads like Go's ("address x: missing port in address").</summary>
    public static bool TryResolve(string listen, out IPEndPoint endPoint, out string error)
    {
        endPoint = new IPEndPoint(IPAddress.Any, 0);
        if (!TrySplit(listen, out var host, out var portText, out var splitError))
        {
            error = $"address {listen}: {splitError}";
            return false;
        }
        if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && portText.Length > 0)
        {
            error = $"address {listen}: invalid port";
            return false;
        }
        if (!TryResolveHost(host, out var address))
        {
            error = $"lookup {host}: no such host";
            return false;
        }
        endPoint = new IPEndPoint(address, port);
        error = "";
        return true;
    }

    public static string Format(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{address}]:{endPoint.Port}"
            : $"{address}:{endPoint.Port}";
    }

    /// <summary>A bound, not yet listening socket; a failure is a 500 in Go's words ("listen tcp …: bind: address already in use").</summary>
    public static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            // SO_REUSEADDR, as Go sets it: a proxy can bind its port again while connections it accepted still use
            // it (or linger in TIME_WAIT), yet a bind fails while another socket listens there. Not
            // Socket.ReuseAddress: on Linux and macOS .NET adds SO_REUSEPORT with it, and two proxies would share
            // the port and split its connections.
            SetReuseAddressOnly(socket);
            socket.Bind(endPoint);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw AddressInUse(endPoint, e.SocketErrorCode);
        }
    }

    private static void SetReuseAddressOnly(Socket socket)
    {
        // SOL_SOCKET and SO_REUSEADDR: (1, 2) on Linux, (0xffff, 4) on macOS and the BSDs. Windows' SO_REUSEADDR
        // means something else (taking over a port in use), and its default already allows the rebind.
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            socket.SetRawSocketOption(0xffff, 4, BitConverter.GetBytes(1));
        }
    }

    public static ToxiproxyException AddressInUse(IPEndPoint endPoint, SocketError code = SocketError.AddressAlreadyInUse) =>
        new(500, $"listen tcp {Format(endPoint)}: bind: {DescribeBindError(code)}");

    /// <summary>Go's words for a bind failure, which clients show and tests match.</summary>
    public static string DescribeBindError(SocketError code) => code switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "cannot assign requested address",
        SocketError.AccessDenied => "permission denied",
        _ => code.ToString(),
    };

    private static bool TrySplit(string listen, out string host, out string port, out string error)
    {
        host = port = error = "";
        if (listen.Length == 0)
        {
            // Go's net.Listen reads "" as every interface, any port.
            return true;
        }
        if (listen.StartsWith('['))
        {
            var close = listen.IndexOf(']');
            if (close < 0)
            {
                error = "missing ']' in address";
                return false;
            }
            if (close + 1 >= listen.Length || listen[close + 1] != ':')
            {
                error = "missing port in address";
                return false;
            }
            host = listen[1..close];
            port = listen[(close + 2)..];
            return true;
        }
        var colon = listen.LastIndexOf(':');
        if (colon < 0)
        {
            error = "missing port in address";
            return false;
        }
        host = listen[..colon];
        port = listen[(colon + 1)..];
        if (host.Contains(':'))
        {
            error = "too many colons in address";
            return false;
        }
        return true;
    }

    private static bool TryResolveHost(string host, out IPAddress address)
    {
        if (host is "" or "0.0.0.0" or "::")
        {
            address = Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
            return true;
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }
        return IPAddress.TryParse(host, out address!) || TryLookup(host, out address);
    }

    /// <summary>A name looked up in DNS, IPv4 first; false when it does not resolve.</summary>
    public static bool TryLookup(string host, out IPAddress address)
    {
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault() ?? IPAddress.None;
            return addresses.Length > 0;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            // ArgumentException: a name the resolver refuses outright (longer than 255 characters, say).
            address = IPAddress.None;
            return false;
        }
    }
}

using System.Globalization;
using System.Net;

namespace Replica.Proxy.Edge.Forwarding;

/// <summary>A HOST:PORT to listen on: an IP address (IPv6 in brackets) or "localhost"; port 0 picks a free one.</summary>
public sealed record ListenEndpoint(IPAddress Address, int Port)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <exception cref="ArgumentException">Names <paramref name="field"/> and what was expected.</exception>
    public static ListenEndpoint Parse(string value, string field)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            throw new ArgumentException($"{field}: '{value}' is not HOST:PORT (e.g. 127.0.0.1:0)", field);
        }
        var host = value[..colon].Trim('[', ']');
        if (!int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"{field}: port '{value[(colon + 1)..]}' must be a number from 0 to 65535", field);
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenEndpoint(IPAddress.Loopback, port);
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            throw new ArgumentException($"{field}: host '{host}' must be an IP address or localhost", field);
        }
        return new ListenEndpoint(address, port);
    }

    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

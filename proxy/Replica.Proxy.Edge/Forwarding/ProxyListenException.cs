namespace Replica.Proxy.Edge.Forwarding;

/// <summary>
/// The edge proxy cannot listen where it was told: the port is taken, the address is not this machine's, or binding
/// is not allowed. <see cref="Setting"/> is the option concerned (<c>Listen</c> or <c>Admin</c>), so front ends can
/// name it the way their user wrote it (<c>--listen</c>, <c>--port</c>…). Nothing is left listening.
/// </summary>
public sealed class ProxyListenException(string setting, string address, Exception inner)
    : IOException($"cannot listen on {address}: {inner.Message}", inner)
{
    /// <summary><c>Listen</c> (client traffic) or <c>Admin</c> (the admin API).</summary>
    public string Setting { get; } = setting;

    public string Address { get; } = address;

    /// <summary>True when the port is taken by another process.</summary>
    public bool AddressInUse => InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                                || InnerException?.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                                || (InnerException?.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse;
}

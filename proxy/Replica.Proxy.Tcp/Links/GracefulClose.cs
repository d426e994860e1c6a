using System.Net.Sockets;

namespace Replica.Proxy.Tcp.Links;

/// <summary>
/// Closes a socket the way Go's Close does: a FIN, not a reset. .NET turns Dispose into an abortive close (RST) when it
/// has to cancel a pending receive, unless the socket was shut down first, and the other link always has one pending.
/// </summary>
internal static class GracefulClose
{
    public static void Close(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected or already closed: Dispose alone is right.
        }
        socket.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;

namespace Replica.Environments.Processes;

/// <summary>
/// An ephemeral port held for a service that will listen on it later: a socket bound to it with SO_REUSEADDR and
/// never listening. While it is held the kernel hands the port to nobody else — not to another bind to port 0 (how
/// every runtime, proxy and test picks a free port) and not to an outgoing connection as its local port — yet the
/// service itself can bind and listen on it, as long as it sets SO_REUSEADDR too: redis-server, PostgreSQL and
/// every .NET, Go and Node.js server do (Linux lets a socket with SO_REUSEADDR share a port with bound, non-listening
/// ones that set it). Picking a port and releasing it before the service binds would leave a gap in which another
/// process can take it. Disposing releases the port; a service already listening on it keeps it.
/// </summary>
public sealed class PortReservation : IDisposable
{
    // Linux's values of SOL_SOCKET and SO_REUSEADDR.
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private readonly Socket _socket;

    private PortReservation(Socket socket, int port)
    {
        _socket = socket;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// Binds a free port on <paramref name="host"/> (an IPv4 address) and holds it, passing over the ports
    /// <paramref name="passOver"/> names: each one offered is held while the next is asked for, so the kernel does not
    /// offer it again, and let go once a port is chosen.
    /// </summary>
    public static PortReservation Ephemeral(string host, Func<int, bool> passOver)
    {
        var passedOver = new List<PortReservation>();
        try
        {
            for (var attempt = 0; attempt < 64; attempt++)
            {
                var reservation = Bind(host);
                if (!passOver(reservation.Port))
                {
                    return reservation;
                }
                passedOver.Add(reservation);
            }
            throw new InvalidOperationException($"the kernel offered only ports already given to services ({passedOver.Count} tried)");
        }
        finally
        {
            passedOver.ForEach(r => r.Dispose());
        }
    }

    private static PortReservation Bind(string host)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // .NET sets SO_REUSEADDR on a TCP bind on Unix already; set it here by its own name so the intent does not
            // depend on that. (Socket.ReuseAddress would also set SO_REUSEPORT, which lets a second listener in.)
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }
            socket.Bind(new IPEndPoint(IPAddress.Parse(host), 0));
            return new PortReservation(socket, ((IPEndPoint)socket.LocalEndPoint!).Port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}

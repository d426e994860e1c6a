using System.Net;
using System.Net.Sockets;
using Replica.Environments.Errors;

namespace Replica.Environments.Processes;

/// <summary>Ports on this machine: a free ephemeral one, or a fixed one checked before use.</summary>
public static class PortAllocator
{
    public static int Ephemeral(string host = "127.0.0.1")
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(host), 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Throws a ReplicaException naming the port, what holds it and <paramref name="wantedBy"/> when it is taken.</summary>
    public static void EnsureFree(string host, int port, string wantedBy)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(host), port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            var owner = PortOwner.Describe(port);
            throw new ReplicaException(
                $"port {host}:{port} wanted by {wantedBy} is already in use{(owner is null ? "" : " by " + owner)}",
                kind: ReplicaErrorKind.MissingPrerequisite,
                hint: $"stop what holds it (ss -ltnp 'sport = :{port}'), or change the host port — or leave it out for a random one");
        }
    }
}

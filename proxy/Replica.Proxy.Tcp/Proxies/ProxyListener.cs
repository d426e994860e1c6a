using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// A proxy's port. It is bound at start so the actual port is known; it then either listens and accepts, or refuses:
/// bound without listening, so a connect gets ECONNREFUSED exactly like a server not started yet, while connections
/// already accepted carry on. All members are called under the owning proxy's lock.
/// </summary>
internal sealed class ProxyListener : IDisposable
{
    private readonly Action<Socket> onAccept;
    private readonly ILogger logger;
    private readonly string proxyName;
    private Socket? socket;
    private bool listening;

    private ProxyListener(Socket socket, Action<Socket> onAccept, ILogger logger, string proxyName)
    {
        this.socket = socket;
        this.onAccept = onAccept;
        this.logger = logger;
        this.proxyName = proxyName;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound address, with the real port when 0 was asked for.</summary>
    public IPEndPoint EndPoint { get; }

    public bool IsListening => listening;

    public static ProxyListener Bind(IPEndPoint requested, Action<Socket> onAccept, ILogger logger, string proxyName) =>
        new(ListenAddress.Bind(requested), onAccept, logger, proxyName);

    /// <summary>Starts accepting. False when the port could not be bound again after refusing (taken meanwhile).</summary>
    public bool Listen()
    {
        if (listening)
        {
            return true;
        }
        try
        {
            socket ??= ListenAddress.Bind(EndPoint);
            socket.Listen();
        }
        catch (Exception e) when (e is SocketException or ToxiproxyException)
        {
            logger.LogWarning("proxy {Proxy}: cannot listen on {Listen} again: {Error}", proxyName, ListenAddress.Format(EndPoint), e.Message);
            socket?.Dispose();
            socket = null;
            return false;
        }
        listening = true;
        _ = AcceptLoopAsync(socket);
        return true;
    }

    /// <summary>Stops accepting but keeps the port: a listening socket cannot stop listening, so it is replaced by a bound one.</summary>
    public void Refuse()
    {
        if (!listening)
        {
            return;
        }
        listening = false;
        socket?.Dispose();
        socket = null;
        try
        {
            socket = ListenAddress.Bind(EndPoint);
        }
        catch (ToxiproxyException e)
        {
            // Refusing still holds without the port; Listen retries the bind.
            logger.LogWarning("proxy {Proxy}: port released while refusing: {Error}", proxyName, e.Message);
        }
    }

    public void Dispose()
    {
        listening = false;
        socket?.Dispose();
        socket = null;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.InvalidArgument)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors and the like: keep the proxy alive and try again shortly.
                logger.LogWarning("proxy {Proxy}: accept failed: {Error}", proxyName, e.Message);
                await Task.Delay(10);
                continue;
            }
            onAccept(client);
        }
    }
}

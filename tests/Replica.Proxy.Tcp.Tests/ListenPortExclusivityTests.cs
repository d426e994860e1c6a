using System.Net;
using System.Net.Sockets;
using Replica.Proxy.Tcp.Proxies;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// A proxy's listen port is its own: a second TCP fault proxy server (another `replica up`, another test collection)
/// asking for the same port is refused with Toxiproxy's bind error, instead of sharing the port and taking half of
/// the connections (SO_REUSEPORT, which .NET's ReuseAddress option sets on Linux, would allow that).
/// </summary>
public sealed class ListenPortExclusivityTests : ProxyTestBase
{
    [Fact]
    public async Task A_second_server_cannot_listen_on_a_port_a_proxy_of_another_server_holds()
    {
        var first = CreateProxy();
        var taken = first.ListenEndPoint!;
        await using var second = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0, Seed = Seed });

        var refused = Assert.Throws<ToxiproxyException>(() =>
            second.Proxies.Create(new ProxyDefinition("same-port", $"127.0.0.1:{taken.Port}", Upstream.Address)));

        Assert.Equal(500, refused.StatusCode);
        Assert.Equal($"listen tcp 127.0.0.1:{taken.Port}: bind: address already in use", refused.Message);
        Assert.Empty(second.Proxies.List());
    }

    [Fact]
    public void A_proxy_cannot_listen_on_a_port_another_program_listens_on()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        var port = ((IPEndPoint)other.LocalEndPoint!).Port;

        var refused = Assert.Throws<ToxiproxyException>(() =>
            Server.Proxies.Create(new ProxyDefinition("taken", $"127.0.0.1:{port}", Upstream.Address)));

        Assert.Equal($"listen tcp 127.0.0.1:{port}: bind: address already in use", refused.Message);
    }

    [Fact]
    public async Task A_deleted_proxys_port_can_be_listened_on_again_while_its_connections_close()
    {
        var first = CreateProxy();
        var port = first.ListenEndPoint!.Port;
        var (client, backend) = await ConnectAsync(first);
        using (client)
        using (backend)
        {
            Server.Proxies.Delete(first.Name);
            // The accepted connection may linger (TIME_WAIT, or still open on our side): SO_REUSEADDR lets a new
            // listener take the port regardless, as Toxiproxy's does.
            var again = Server.Proxies.Create(new ProxyDefinition("again", $"127.0.0.1:{port}", Upstream.Address));
            Assert.Equal(port, again.ListenEndPoint!.Port);
        }
    }
}

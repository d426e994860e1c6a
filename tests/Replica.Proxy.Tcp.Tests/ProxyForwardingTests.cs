using System.Net.Sockets;
using System.Text;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>Bytes through a proxy with no toxics, and what enabling, disabling, deleting and moving a proxy does to connections.</summary>
public sealed class ProxyForwardingTests : ProxyTestBase
{
    protected override int Seed => 7;

    [Fact]
    public async Task Message_arrives_intact_both_ways()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));
        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        using var backend = await Upstream.AcceptAsync();

        await client.SendAsync("hello world"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hello world", Encoding.ASCII.GetString(await backend.ReadExactlyAsync(11)));
        await backend.SendAsync("pong"u8.ToArray(), SocketFlags.None);
        Assert.Equal("pong", Encoding.ASCII.GetString(await client.ReadExactlyAsync(4)));
    }

    [Fact]
    public async Task Big_message_in_two_parts_arrives_concatenated()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));
        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        using var backend = await Upstream.AcceptAsync();
        var data = new byte[1024 * 1024];
        Random.Shared.NextBytes(data);

        await client.SendAsync(data.AsMemory(0, 300_000), SocketFlags.None);
        await client.SendAsync(data.AsMemory(300_000), SocketFlags.None);

        Assert.Equal(data, await backend.ReadExactlyAsync(data.Length));
    }

    [Fact]
    public async Task Client_close_reaches_upstream_as_eof()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));
        var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        using var backend = await Upstream.AcceptAsync();
        await client.SendAsync("bye"u8.ToArray(), SocketFlags.None);
        client.Dispose();

        var outcome = await backend.ReadToEndAsync();

        Assert.Equal("bye", Encoding.ASCII.GetString(outcome.Data));
    }

    [Fact]
    public async Task Unreachable_upstream_gives_the_client_eof_quickly()
    {
        await using var gone = TcpTestServer.StartManual();
        var address = gone.Address;
        await gone.DisposeAsync();
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", address));

        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        var outcome = await client.ReadToEndAsync(TimeSpan.FromMilliseconds(500));

        Assert.Empty(outcome.Data);
    }

    [Fact]
    public async Task Disabling_closes_connections_and_refuses_new_ones_until_enabled()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));
        var endPoint = proxy.ListenEndPoint!;
        using var client = await Sockets.ConnectAsync(endPoint);
        using var backend = await Upstream.AcceptAsync();

        proxy.Update(new ProxyUpdate { Enabled = false });

        Assert.Empty((await client.ReadToEndAsync()).Data);
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(endPoint));
        Assert.False(proxy.Enabled);
        Assert.Equal($"127.0.0.1:{endPoint.Port}", proxy.Listen);

        proxy.Update(new ProxyUpdate { Enabled = true });
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(endPoint));
    }

    [Fact]
    public async Task Deleting_closes_the_port_and_connections()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));
        var endPoint = proxy.ListenEndPoint!;
        using var client = await Sockets.ConnectAsync(endPoint);
        using var backend = await Upstream.AcceptAsync();

        Server.Proxies.Delete("p");

        Assert.Empty((await client.ReadToEndAsync()).Data);
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(endPoint));
    }

    [Fact]
    public async Task Equivalent_hostname_listen_does_not_drop_open_connections()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "localhost:0", Upstream.Address));
        var port = proxy.ListenEndPoint!.Port;
        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        using var backend = await Upstream.AcceptAsync();

        proxy.Update(new ProxyUpdate { Listen = $"localhost:{port}" });

        await client.SendAsync("still"u8.ToArray(), SocketFlags.None);
        Assert.Equal("still", Encoding.ASCII.GetString(await backend.ReadExactlyAsync(5)));
        Assert.Equal($"127.0.0.1:{port}", proxy.Listen);
    }

    [Fact]
    public async Task New_upstream_restarts_the_proxy_and_drops_connections()
    {
        await using var other = TcpTestServer.StartManual();
        var proxy = Server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));
        var endPoint = proxy.ListenEndPoint!;
        using var client = await Sockets.ConnectAsync(endPoint);
        using var backend = await Upstream.AcceptAsync();

        proxy.Update(new ProxyUpdate { Upstream = other.Address, Listen = $"127.0.0.1:{endPoint.Port}" });

        Assert.Empty((await client.ReadToEndAsync()).Data);
        using var second = await Sockets.ConnectAsync(endPoint);
        using var otherBackend = await other.AcceptAsync();
        Assert.Equal(other.Address, proxy.Upstream);
    }

    [Fact]
    public async Task Port_in_use_is_a_500_with_gos_text_and_nothing_is_created()
    {
        var first = Server.Proxies.Create(new ProxyDefinition("one", "127.0.0.1:0", Upstream.Address));
        var listen = $"127.0.0.1:{first.ListenEndPoint!.Port}";

        var error = Assert.Throws<ToxiproxyException>(() => Server.Proxies.Create(new ProxyDefinition("two", listen, Upstream.Address)));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal($"listen tcp {listen}: bind: address already in use", error.Message);
        Assert.False(Server.Proxies.TryGet("two", out _));
        Server.Proxies.Delete("one");
        Assert.True(Server.Proxies.Create(new ProxyDefinition("two", listen, Upstream.Address)).Enabled);
    }

    [Fact]
    [Trait("Category", "Timing")] // a thousand sockets at once starve whatever runs beside it: it runs in the fast tier's alone phase
    public async Task A_thousand_connections_open_at_once_all_echo_correctly()
    {
        await using var echo = TcpTestServer.StartEcho();
        var proxy = Server.Proxies.Create(new ProxyDefinition("many", "127.0.0.1:0", echo.Address));
        var clients = new List<Socket>();
        try
        {
            foreach (var connect in await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Sockets.ConnectAsync(proxy.ListenEndPoint!))))
            {
                clients.Add(connect);
            }

            await Task.WhenAll(clients.Select(async (client, index) =>
            {
                var message = BitConverter.GetBytes(index);
                for (var i = 0; i < 5; i++)
                {
                    await client.SendAsync(message, SocketFlags.None);
                    Assert.Equal(message, await client.ReadExactlyAsync(message.Length, TimeSpan.FromSeconds(60)));
                }
            }));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}

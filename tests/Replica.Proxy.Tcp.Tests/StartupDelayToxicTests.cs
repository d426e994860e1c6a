using System.Diagnostics;
using System.Net.Sockets;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// startup_delay, the "dependency not ready yet" condition: refuse (ECONNREFUSED until T) or hold (accepted, but no
/// upstream connection and no bytes until T). T counts from the proxy's start, the toxic's creation or update, /reset.
/// </summary>
public sealed class StartupDelayToxicTests : ProxyTestBase
{
    [Fact]
    public async Task Refuse_mode_refuses_connections_until_the_delay_has_passed()
    {
        var start = Stopwatch.GetTimestamp();
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 600), ("mode", "refuse")));

        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        await WaitForConnectAsync(proxy);

        Assert.InRange(Milliseconds(start), 600, 5000);
        Assert.True(await Upstream.HasConnectionWithinAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal($"127.0.0.1:{proxy.ListenEndPoint!.Port}", proxy.Listen);
    }

    [Fact]
    public async Task Refuse_added_to_a_running_proxy_leaves_open_connections_alone()
    {
        var proxy = CreateProxy();
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        proxy.AddToxic(Spec("startup_delay", "downstream", ("delay", 500), ("mode", "refuse")));

        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        await client.SendAsync("still here"u8.ToArray(), SocketFlags.None);
        Assert.Equal("still here"u8.ToArray(), await backend.ReadExactlyAsync(10));
        await backend.SendAsync("yes"u8.ToArray(), SocketFlags.None);
        Assert.Equal("yes"u8.ToArray(), await client.ReadExactlyAsync(3));
        await WaitForConnectAsync(proxy);
    }

    [Fact]
    public async Task Hold_mode_accepts_but_connects_upstream_and_passes_bytes_only_after_the_delay()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 600), ("mode", "hold")));
        var start = Stopwatch.GetTimestamp();

        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        await client.SendAsync("early"u8.ToArray(), SocketFlags.None);
        Assert.False(await Upstream.HasConnectionWithinAsync(TimeSpan.FromMilliseconds(300)));
        using var backend = await Upstream.AcceptAsync();
        var arrived = Milliseconds(start);

        Assert.InRange(arrived, 600, 5000);
        Assert.Equal("early"u8.ToArray(), await backend.ReadExactlyAsync(5));
    }

    [Fact]
    public async Task Removing_a_hold_releases_held_connections_at_once()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 60_000), ("mode", "hold")));
        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        Assert.False(await Upstream.HasConnectionWithinAsync(TimeSpan.FromMilliseconds(200)));

        proxy.RemoveToxic("startup_delay_downstream");

        using var backend = await Upstream.AcceptAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Reset_restarts_the_clock_of_a_declared_startup_delay()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 400), ("mode", "refuse")));
        await WaitForConnectAsync(proxy);

        var reset = Stopwatch.GetTimestamp();
        Server.Proxies.Reset();

        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        await WaitForConnectAsync(proxy);
        Assert.InRange(Milliseconds(reset), 400, 5000);
        Assert.Equal("startup_delay", Assert.Single(proxy.Toxics).Type);
    }

    [Fact]
    public async Task Re_enabling_the_proxy_restarts_the_clock()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 400), ("mode", "refuse")));
        await WaitForConnectAsync(proxy);
        var port = proxy.ListenEndPoint!.Port;
        proxy.Update(new ProxyUpdate { Enabled = false });

        var enabled = Stopwatch.GetTimestamp();
        proxy.Update(new ProxyUpdate { Enabled = true });

        Assert.Equal(port, proxy.ListenEndPoint!.Port);
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        await WaitForConnectAsync(proxy);
        Assert.InRange(Milliseconds(enabled), 400, 5000);
    }

    [Fact]
    public async Task Updating_the_delay_restarts_the_clock()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 0), ("mode", "refuse")));
        await WaitForConnectAsync(proxy);

        var updated = Stopwatch.GetTimestamp();
        proxy.UpdateToxic("startup_delay_downstream", new ToxicUpdate { Attributes = new Dictionary<string, object?> { ["delay"] = 400 } });

        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        await WaitForConnectAsync(proxy);
        Assert.InRange(Milliseconds(updated), 400, 5000);
    }

    [Fact]
    public async Task The_largest_delays_are_accepted_and_removing_them_lets_connections_in()
    {
        var proxy = CreateProxy(
            Spec("startup_delay", "downstream", ("delay", long.MaxValue), ("mode", "refuse")) with { Name = "refuse" },
            Spec("startup_delay", "downstream", ("delay", long.MaxValue), ("mode", "hold")) with { Name = "hold" });
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));

        proxy.RemoveToxic("refuse");
        await WaitForConnectAsync(proxy);
        using var held = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        Assert.False(await Upstream.HasConnectionWithinAsync(TimeSpan.FromMilliseconds(200)));
        proxy.RemoveToxic("hold");

        Assert.True(await Upstream.HasConnectionWithinAsync(TimeSpan.FromSeconds(5)));
    }

    /// <summary>Polls connects every 10 ms until one succeeds (each failure must be a refusal).</summary>
    private static async Task WaitForConnectAsync(TcpProxy proxy)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var result = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
            if (result == SocketError.Success)
            {
                return;
            }
            Assert.Equal(SocketError.ConnectionRefused, result);
            Assert.True(Milliseconds(start) < 10_000, "the proxy never started accepting");
            await Task.Delay(10);
        }
    }
}

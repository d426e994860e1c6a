using System.Diagnostics;
using System.Net.Sockets;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// startup_delay, the "dependency not ready yet" condition: refuse (ECONNREFUSED until T) or hold (accepted, but no
/// upstream connection and no bytes until T). T counts from the proxy's start, the toxic's creation or update, /reset.
/// On a fake clock: each test moves the toxics' time to 1 ms before T (still refused or held) and to T (let in), on
/// real sockets; <see cref="StartupDelayRealClockTests"/> keeps the system clock's path covered.
/// </summary>
public sealed class StartupDelayToxicTests : ProxyTestBase
{
    private readonly FakeClock _clock = new();

    protected override TimeProvider Time => _clock;

    [Fact]
    public async Task Refuse_mode_refuses_connections_until_the_delay_has_passed()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 600), ("mode", "refuse")));

        var atStart = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(599);
        var justBefore = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(1);
        var atDelay = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);

        Assert.Equal(SocketError.ConnectionRefused, atStart);
        Assert.Equal(SocketError.ConnectionRefused, justBefore);
        Assert.Equal(SocketError.Success, atDelay);
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
        _clock.AdvanceMs(500);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
    }

    [Fact]
    public async Task Hold_mode_accepts_but_connects_upstream_and_passes_bytes_only_after_the_delay()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 600), ("mode", "hold")));
        var timers = _clock.TimersCreated;

        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        await client.SendAsync("early"u8.ToArray(), SocketFlags.None);
        await _clock.WaitForTimersAsync(timers + 1, "the connection to be held");
        _clock.AdvanceMs(599);
        var connectedEarly = await Upstream.HasConnectionWithinAsync(TimeSpan.FromMilliseconds(100));
        _clock.AdvanceMs(1);
        using var backend = await Upstream.AcceptAsync();

        Assert.False(connectedEarly, "dialled upstream before the delay passed");
        Assert.Equal("early"u8.ToArray(), await backend.ReadExactlyAsync(5));
    }

    [Fact]
    public async Task Removing_a_hold_releases_held_connections_at_once()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 60_000), ("mode", "hold")));
        var timers = _clock.TimersCreated;
        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        await _clock.WaitForTimersAsync(timers + 1, "the connection to be held");

        proxy.RemoveToxic("startup_delay_downstream");

        using var backend = await Upstream.AcceptAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Reset_restarts_the_clock_of_a_declared_startup_delay()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 400), ("mode", "refuse")));
        _clock.AdvanceMs(400);
        var beforeReset = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);

        Server.Proxies.Reset();
        var afterReset = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(399);
        var justBefore = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(1);

        Assert.Equal(SocketError.Success, beforeReset);
        Assert.Equal(SocketError.ConnectionRefused, afterReset);
        Assert.Equal(SocketError.ConnectionRefused, justBefore);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        Assert.Equal("startup_delay", Assert.Single(proxy.Toxics).Type);
    }

    [Fact]
    public async Task Re_enabling_the_proxy_restarts_the_clock()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 400), ("mode", "refuse")));
        _clock.AdvanceMs(400);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        var port = proxy.ListenEndPoint!.Port;
        proxy.Update(new ProxyUpdate { Enabled = false });
        _clock.AdvanceMs(1000);

        proxy.Update(new ProxyUpdate { Enabled = true });
        var afterEnable = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(399);
        var justBefore = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(1);

        Assert.Equal(port, proxy.ListenEndPoint!.Port);
        Assert.Equal(SocketError.ConnectionRefused, afterEnable);
        Assert.Equal(SocketError.ConnectionRefused, justBefore);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
    }

    [Fact]
    public async Task Updating_the_delay_restarts_the_clock()
    {
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 0), ("mode", "refuse")));
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        _clock.AdvanceMs(1000);

        proxy.UpdateToxic("startup_delay_downstream", new ToxicUpdate { Attributes = new Dictionary<string, object?> { ["delay"] = 400 } });
        var afterUpdate = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(399);
        var justBefore = await Sockets.TryConnectAsync(proxy.ListenEndPoint!);
        _clock.AdvanceMs(1);

        Assert.Equal(SocketError.ConnectionRefused, afterUpdate);
        Assert.Equal(SocketError.ConnectionRefused, justBefore);
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
    }

    [Fact]
    public async Task The_largest_delays_are_accepted_and_removing_them_lets_connections_in()
    {
        var proxy = CreateProxy(
            Spec("startup_delay", "downstream", ("delay", long.MaxValue), ("mode", "refuse")) with { Name = "refuse" },
            Spec("startup_delay", "downstream", ("delay", long.MaxValue), ("mode", "hold")) with { Name = "hold" });
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        _clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));

        proxy.RemoveToxic("refuse");
        Assert.Equal(SocketError.Success, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        var timers = _clock.TimersCreated;
        using var held = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        await _clock.WaitForTimersAsync(timers + 1, "the connection to be held");
        _clock.Advance(TimeSpan.FromDays(365));
        Assert.False(await Upstream.HasConnectionWithinAsync(TimeSpan.FromMilliseconds(100)));
        proxy.RemoveToxic("hold");

        Assert.True(await Upstream.HasConnectionWithinAsync(TimeSpan.FromSeconds(5)));
    }
}

/// <summary>startup_delay on the system clock: the real timers' path, measured with lower bounds only.</summary>
public sealed class StartupDelayRealClockTests : ProxyTestBase
{
    [Fact]
    public async Task Refuse_mode_on_the_system_clock_lets_connections_in_no_earlier_than_the_delay()
    {
        var start = Stopwatch.GetTimestamp();
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 400), ("mode", "refuse")));

        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(proxy.ListenEndPoint!));
        await Eventually.WaitAsync(async () => await Sockets.TryConnectAsync(proxy.ListenEndPoint!) == SocketError.Success,
            TimeSpan.FromSeconds(10), "the proxy to start accepting", TimeSpan.FromMilliseconds(10));

        Assert.True(Milliseconds(start) >= 400, $"accepted after {Milliseconds(start):0} ms");
    }

    [Fact]
    public async Task Hold_mode_on_the_system_clock_dials_upstream_no_earlier_than_the_delay()
    {
        // Taken before the proxy starts: the hold counts from the proxy's start, so the bound holds whatever creating it took.
        var start = Stopwatch.GetTimestamp();
        var proxy = CreateProxy(Spec("startup_delay", "downstream", ("delay", 400), ("mode", "hold")));

        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        using var backend = await Upstream.AcceptAsync(TimeSpan.FromSeconds(10));

        Assert.True(Milliseconds(start) >= 400, $"dialled after {Milliseconds(start):0} ms");
    }
}

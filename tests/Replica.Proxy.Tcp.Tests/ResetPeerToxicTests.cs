using System.Diagnostics;
using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>reset_peer: the connection ends with a TCP reset (ECONNRESET at the client), after its timeout.</summary>
public sealed class ResetPeerToxicTests : ProxyTestBase
{
    [Fact]
    public async Task Upstream_without_timeout_resets_on_the_first_request()
    {
        var proxy = CreateProxy(Spec("reset_peer", "upstream"));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        var error = await Assert.ThrowsAsync<SocketException>(async () => await client.ReceiveAsync(new byte[16], SocketFlags.None));

        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        Assert.Equal(0, await client.ReceiveAsync(new byte[16], SocketFlags.None));
        Assert.Equal(SocketError.ConnectionReset, (await backend.ReadToEndAsync()).Ending);
    }

    [Fact]
    public async Task Upstream_timeout_resets_that_long_after_the_request()
    {
        var proxy = CreateProxy(Spec("reset_peer", "upstream", ("timeout", 200)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        var start = Stopwatch.GetTimestamp();
        await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        var outcome = await client.ReadToEndAsync();

        Assert.Equal(SocketError.ConnectionReset, outcome.Ending);
        Assert.InRange(Milliseconds(start), 200, 2000);
        Assert.Empty((await backend.ReadToEndAsync()).Data);
    }

    [Fact]
    public async Task Downstream_timeout_resets_after_the_first_response()
    {
        var proxy = CreateProxy(Spec("reset_peer", "downstream", ("timeout", 200)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ping"u8.ToArray(), await backend.ReadExactlyAsync(4));
        var start = Stopwatch.GetTimestamp();
        await backend.SendAsync("pong"u8.ToArray(), SocketFlags.None);
        var outcome = await client.ReadToEndAsync();

        Assert.Empty(outcome.Data);
        Assert.Equal(SocketError.ConnectionReset, outcome.Ending);
        Assert.InRange(Milliseconds(start), 200, 2000);
    }

    [Fact]
    public async Task Reset_peer_in_both_directions_resets_and_lets_the_proxy_stop_at_once()
    {
        // Each direction commits its own reset: both waits must end when the first fires, or one link never ends.
        var proxy = CreateProxy(Spec("reset_peer", "upstream", ("timeout", 300)), Spec("reset_peer", "downstream", ("timeout", 300)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        await backend.SendAsync("pong"u8.ToArray(), SocketFlags.None);
        var outcome = await client.ReadToEndAsync();

        Assert.Empty(outcome.Data);
        Assert.Equal(SocketError.ConnectionReset, outcome.Ending);
        await AssertStopsPromptlyAsync();
    }

    [Fact]
    public async Task Reset_releases_data_another_toxic_holds_so_the_proxy_stops_at_once()
    {
        // bandwidth 0 holds the response until the connection ends; the reset must end it.
        var proxy = CreateProxy(Spec("reset_peer", "upstream", ("timeout", 300)), Spec("bandwidth", "downstream", ("rate", 0)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await backend.SendAsync("pong"u8.ToArray(), SocketFlags.None);
        var start = Stopwatch.GetTimestamp();
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        var outcome = await client.ReadToEndAsync();

        Assert.Empty(outcome.Data);
        Assert.Equal(SocketError.ConnectionReset, outcome.Ending);
        Assert.InRange(Milliseconds(start), 300, 5000);
        Assert.Equal(SocketError.ConnectionReset, (await backend.ReadToEndAsync()).Ending);
        await AssertStopsPromptlyAsync();
    }

    [Fact]
    public async Task Toxicity_zero_leaves_ordinary_closes_as_fin()
    {
        var proxy = CreateProxy(Spec("reset_peer", "upstream") with { Toxicity = 0 });
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;

        await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hello"u8.ToArray(), await backend.ReadExactlyAsync(5));
        backend.Dispose();

        Assert.Equal(SocketError.Success, (await client.ReadToEndAsync()).Ending);
    }

    // A connection that never ended would hold the stop for its 10 s bound.
    private async Task AssertStopsPromptlyAsync()
    {
        var clock = Stopwatch.StartNew();
        await Server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
    }
}

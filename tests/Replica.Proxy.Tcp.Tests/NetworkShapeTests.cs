using System.Diagnostics;
using Replica.Proxy.Tcp.Network;
using Replica.Proxy.Tcp.Proxies;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// A TCP proxy standing on a shaped path (an environment's network profile for dependency edges): a round trip's
/// half each way, the connect's round trip before the first bytes, the rate — and none of it a toxic the API shows or
/// /reset removes. Lower bounds are exact; upper bounds are generous, for a loaded 2-core machine.
/// </summary>
[Collection(TimingCollection.Name)]
[Trait("Category", TimingCollection.Category)]
public sealed class NetworkShapeTests : ProxyTestBase
{
    [Fact]
    public async Task Each_direction_takes_half_the_round_trip_and_the_first_bytes_wait_out_the_connect()
    {
        var proxy = CreateProxy();
        proxy.SetNetwork(new LinkShape(TimeSpan.FromMilliseconds(100)));

        var connecting = Stopwatch.GetTimestamp();
        var (client, backend) = await ConnectAsync(proxy);
        var connect = Milliseconds(connecting);
        using var _ = client;
        using var __ = backend;
        var up = (await Sockets.TimeTransferAsync(client, backend, RandomBytes(1024))).TotalMilliseconds;
        var down = (await Sockets.TimeTransferAsync(backend, client, RandomBytes(1024))).TotalMilliseconds;

        Assert.InRange(connect, 100, 2000);
        Assert.InRange(up, 50, 1000);
        Assert.InRange(down, 50, 1000);
    }

    [Fact]
    public async Task The_rate_paces_a_transfer()
    {
        var proxy = CreateProxy();
        proxy.SetNetwork(new LinkShape(TimeSpan.Zero, BytesPerSecond: 1_000_000));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        var elapsed = (await Sockets.TimeTransferAsync(client, backend, RandomBytes(500_000))).TotalMilliseconds;

        Assert.InRange(elapsed, 480, 5000);
    }

    [Fact]
    public async Task The_shape_is_no_toxic_and_reset_keeps_it()
    {
        var proxy = CreateProxy();
        proxy.AddToxic(Spec("latency", "upstream", ("latency", 10)));
        var shape = new LinkShape(TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(10));
        proxy.SetNetwork(shape);

        Server.Proxies.Reset();
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var up = (await Sockets.TimeTransferAsync(client, backend, RandomBytes(100))).TotalMilliseconds;

        Assert.Empty(proxy.Toxics);
        Assert.Same(shape, proxy.Network);
        Assert.InRange(up, 25, 1000);
    }

    [Fact]
    public void An_impossible_shape_is_refused_by_field()
    {
        var proxy = CreateProxy();

        var error = Assert.Throws<ArgumentException>(() => proxy.SetNetwork(new LinkShape(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20))));

        Assert.Contains("jitter: must be from 0 to the rtt", error.Message);
        Assert.Equal(LinkShape.None, proxy.Network);
    }
}

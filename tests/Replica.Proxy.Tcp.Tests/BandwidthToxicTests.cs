using System.Diagnostics;
using System.Net.Sockets;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// bandwidth on real sockets: 480 000 bytes at 1000 KB/s take 480 ms (Toxiproxy's test): every run at least 480 ms,
/// the best of three within 10 ms (see <see cref="LatencyToxicTests"/> on load bursts).
/// </summary>
[Collection(TimingCollection.Name)]
[Trait("Category", TimingCollection.Category)]
public sealed class BandwidthToxicTests : ProxyTestBase
{
    [Fact]
    public async Task Rate_limits_a_transfer_to_the_configured_kilobytes_per_second()
    {
        var proxy = CreateProxy(Spec("bandwidth", "upstream", ("rate", 1000)));
        var samples = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var (client, backend) = await ConnectAsync(proxy);
            using var _ = client;
            using var __ = backend;
            var data = RandomBytes(480_000);

            var start = Stopwatch.GetTimestamp();
            var sending = client.SendAsync(data, SocketFlags.None);
            var received = await backend.ReadExactlyAsync(data.Length, TimeSpan.FromSeconds(10));
            samples.Add(Milliseconds(start));
            await sending;

            Assert.Equal(data, received);
        }

        Assert.All(samples, s => Assert.InRange(s, 480, 1500));
        Assert.True(samples.Min() <= 490, $"best run {samples.Min():F1} ms, runs [{string.Join(", ", samples.Select(s => s.ToString("F1")))}]");
    }

    [Fact]
    public async Task Rate_zero_holds_data_until_the_toxic_is_removed()
    {
        var proxy = CreateProxy(Spec("bandwidth", "upstream", ("rate", 0)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync("held"u8.ToArray(), SocketFlags.None);
        using (var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await backend.ReceiveAsync(new byte[4], SocketFlags.None, quiet.Token));
        }
        proxy.RemoveToxic("bandwidth_upstream");

        Assert.Equal("held"u8.ToArray(), await backend.ReadExactlyAsync(4, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Raising_the_rate_speeds_up_an_open_connection()
    {
        var proxy = CreateProxy(Spec("bandwidth", "downstream", ("rate", 1)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var data = RandomBytes(100_000);

        var start = Stopwatch.GetTimestamp();
        await backend.SendAsync(data, SocketFlags.None);
        proxy.UpdateToxic("bandwidth_downstream", new ToxicUpdate { Attributes = new Dictionary<string, object?> { ["rate"] = 100_000 } });
        var received = await client.ReadExactlyAsync(data.Length, TimeSpan.FromSeconds(5));

        // At 1 KB/s the 100 KB would take 100 s; after the update it takes milliseconds.
        Assert.Equal(data, received);
        Assert.InRange(Milliseconds(start), 0, 5000);
    }
}

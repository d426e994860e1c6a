using System.Diagnostics;
using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// slicer: chunks are cut into pieces sent <c>delay</c> µs apart. TCP may merge pieces in the receiver's buffer, so the
/// pieces show as spacing in time: n pieces need at least (n − 1) delays.
/// </summary>
public sealed class SlicerToxicTests : ProxyTestBase
{
    [Fact]
    public async Task Average_one_without_variation_sends_one_byte_at_a_time()
    {
        var proxy = CreateProxy(Spec("slicer", "upstream", ("average_size", 1), ("size_variation", 0), ("delay", 20_000)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var data = "abcdefghijklmnopqrstuvwx"u8.ToArray();

        await client.SendAsync(data, SocketFlags.None);
        var reads = 0;
        var received = new List<byte>();
        var start = Stopwatch.GetTimestamp();
        var buffer = new byte[64];
        while (received.Count < data.Length)
        {
            var n = await backend.ReceiveAsync(buffer, SocketFlags.None);
            received.AddRange(buffer[..n]);
            reads++;
        }

        Assert.Equal(data, received.ToArray());
        // 24 one-byte pieces, 20 ms apart: the last arrives at least 23 × 20 ms after the first.
        Assert.InRange(Milliseconds(start), 23 * 20, 5000);
        Assert.True(reads > 1, "the data arrived in one read: it was not sliced");
    }

    [Fact]
    public async Task A_large_message_arrives_complete_and_in_order()
    {
        var proxy = CreateProxy(Spec("slicer", "upstream", ("average_size", 1024), ("size_variation", 512), ("delay", 1_000)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var data = RandomBytes(480 * 1024);

        var start = Stopwatch.GetTimestamp();
        var sending = client.SendAsync(data, SocketFlags.None);
        var received = await backend.ReadExactlyAsync(data.Length, TimeSpan.FromSeconds(20));
        await sending;

        Assert.Equal(data, received);
        // At least 240 pieces (Toxiproxy's test bound for 480 KB at 1024 ± 512), each followed by 1 ms.
        Assert.InRange(Milliseconds(start), 239, 20_000);
    }
}

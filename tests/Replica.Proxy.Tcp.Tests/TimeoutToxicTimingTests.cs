using System.Diagnostics;
using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// timeout on the real clock with chatter 50 ms apart against a 600 ms timeout: a loaded machine can stretch one of
/// those 50 ms past 600, so it runs with the other timing tests, alone.
/// </summary>
[Collection(TimingCollection.Name)]
[Trait("Category", TimingCollection.Category)]
public sealed class TimeoutToxicTimingTests : ProxyTestBase
{
    [Fact]
    public async Task A_chatty_peer_keeps_the_connection_open_while_losing_its_data()
    {
        // Chatter every 50 ms for twice the timeout: only a silence of 600 ms would close it.
        var proxy = CreateProxy(Spec("timeout", "upstream", ("timeout", 600)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        var chatter = Stopwatch.GetTimestamp();
        while (Milliseconds(chatter) < 1200)
        {
            await client.SendAsync("x"u8.ToArray(), SocketFlags.None);
            await Task.Delay(50);
        }
        await backend.SendAsync("alive"u8.ToArray(), SocketFlags.None);

        Assert.Equal("alive"u8.ToArray(), await client.ReadExactlyAsync(5));
        var start = Stopwatch.GetTimestamp();
        Assert.Empty((await client.ReadToEndAsync(TimeSpan.FromSeconds(5))).Data);
        Assert.InRange(Milliseconds(start), 0, 2000);
    }
}

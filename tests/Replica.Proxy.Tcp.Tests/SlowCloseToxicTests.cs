using System.Diagnostics;
using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>slow_close: data flows as usual; the close reaches the other side only after the delay.</summary>
public sealed class SlowCloseToxicTests : ProxyTestBase
{
    [Fact]
    public async Task Server_close_reaches_the_client_after_the_delay_with_all_data()
    {
        var proxy = CreateProxy(Spec("slow_close", "downstream", ("delay", 400)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;

        await backend.SendAsync("last words"u8.ToArray(), SocketFlags.None);
        Assert.Equal("last words"u8.ToArray(), await client.ReadExactlyAsync(10));
        var start = Stopwatch.GetTimestamp();
        backend.Dispose();
        var outcome = await client.ReadToEndAsync();

        Assert.Empty(outcome.Data);
        Assert.Equal(SocketError.Success, outcome.Ending);
        Assert.InRange(Milliseconds(start), 400, 3000);
    }

    [Fact]
    public async Task Removing_the_toxic_lets_a_held_close_through_at_once()
    {
        var proxy = CreateProxy(Spec("slow_close", "downstream", ("delay", 60_000)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;

        backend.Dispose();
        using (var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ReceiveAsync(new byte[1], SocketFlags.None, quiet.Token));
        }
        proxy.RemoveToxic("slow_close_downstream");

        Assert.Equal(SocketError.Success, (await client.ReadToEndAsync(TimeSpan.FromSeconds(2))).Ending);
    }
}

using System.Diagnostics;
using System.Net.Sockets;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// Stopping a proxy (DELETE, server shutdown, `replica down`) ends its connections at once, even those whose data a
/// toxic is still holding: a closed connection does not wait out an hour of latency.
/// </summary>
public sealed class ProxyStopTests : ProxyTestBase
{
    [Theory]
    [InlineData("latency", "latency", 3_600_000L)]
    [InlineData("bandwidth", "rate", 0L)]
    [InlineData("slow_close", "delay", 3_600_000L)]
    public async Task Stopping_ends_connections_whose_data_a_toxic_holds(string type, string attribute, long value)
    {
        var proxy = CreateProxy(Spec(type, "upstream", (attribute, value)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        await client.SendAsync("held"u8.ToArray(), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send); // the client is done: the proxy now holds its data and its FIN

        var clock = Stopwatch.StartNew();
        await Server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
        // The connection has ended: whatever was released, then end of stream (or a reset).
        var buffer = new byte[16];
        try
        {
            while (await backend.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5)) > 0)
            {
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }
}

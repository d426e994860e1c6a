using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>Adding, updating and removing toxics applies to connections already open, without losing or reordering data.</summary>
public sealed class LiveToxicChangeTests : ProxyTestBase
{
    [Fact]
    public async Task Adding_latency_delays_an_open_connection()
    {
        var proxy = CreateProxy();
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        proxy.AddToxic(Spec("latency", "upstream", ("latency", 200)));
        var elapsed = await Sockets.TimeTransferAsync(client, backend, "late"u8.ToArray());

        Assert.InRange(elapsed.TotalMilliseconds, 200, 2000);
    }

    [Fact]
    public async Task Removing_latency_releases_waiting_data_at_once()
    {
        var proxy = CreateProxy(Spec("latency", "upstream", ("latency", 30_000)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync("waiting"u8.ToArray(), SocketFlags.None);
        using (var held = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await backend.ReceiveAsync(new byte[7], SocketFlags.None, held.Token));
        }
        var removed = Stopwatch.GetTimestamp();
        proxy.RemoveToxic("latency_upstream");

        // Held for 30 s otherwise.
        Assert.Equal("waiting"u8.ToArray(), await backend.ReadExactlyAsync(7, TimeSpan.FromSeconds(5)));
        Assert.InRange(Milliseconds(removed), 0, 5000);
    }

    [Fact]
    public async Task Echo_keeps_working_across_added_toxics_and_resets()
    {
        await using var echo = TcpTestServer.StartEcho();
        var proxy = Server.Proxies.Create(new("echo", "127.0.0.1:0", echo.Address));
        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);

        await AssertEchoAsync(client, "one");
        proxy.AddToxic(Spec("noop", "upstream"));
        proxy.AddToxic(Spec("noop", "downstream"));
        await AssertEchoAsync(client, "two");
        Server.Proxies.Reset();
        await AssertEchoAsync(client, "three");
        Server.Proxies.Reset();
        await AssertEchoAsync(client, "four");
        Assert.Empty(proxy.Toxics);
    }

    [Fact]
    public async Task No_data_is_dropped_or_reordered_while_toxics_come_and_go()
    {
        await using var echo = TcpTestServer.StartEcho();
        var proxy = Server.Proxies.Create(new("echo", "127.0.0.1:0", echo.Address));
        using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        const int messages = 20_000;

        using var stop = new CancellationTokenSource();
        var churn = Task.Run(async () =>
        {
            var turn = 0;
            while (!stop.IsCancellationRequested)
            {
                var stream = turn++ % 2 == 0 ? "upstream" : "downstream";
                proxy.AddToxic(Spec("latency", stream, ("latency", 1000)) with { Name = "churn" });
                await Task.Yield();
                proxy.RemoveToxic("churn");
            }
        });
        var sending = Task.Run(async () =>
        {
            var message = new byte[2];
            for (var i = 0; i < messages; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)i);
                await client.SendAsync(message, SocketFlags.None);
            }
        });
        var received = await client.ReadExactlyAsync(messages * 2, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await churn;
        await sending;

        for (var i = 0; i < messages; i++)
        {
            Assert.Equal((ushort)i, BinaryPrimitives.ReadUInt16BigEndian(received.AsSpan(i * 2)));
        }
    }

    [Fact]
    public async Task Many_toxics_added_and_removed_on_many_connections_leave_every_echo_intact()
    {
        await using var echo = TcpTestServer.StartEcho();
        var proxy = Server.Proxies.Create(new("echo", "127.0.0.1:0", echo.Address));
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                clients.Add(await Sockets.ConnectAsync(proxy.ListenEndPoint!));
            }
            for (var round = 0; round < 20; round++)
            {
                proxy.AddToxic(Spec("noop", round % 2 == 0 ? "upstream" : "downstream") with { Name = $"n{round}" });
                await Task.WhenAll(clients.Select(c => AssertEchoAsync(c, $"round {round}")));
                if (round % 3 == 0)
                {
                    proxy.RemoveToxic($"n{round}");
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Healing_a_partition_never_blocks_the_api_while_data_is_being_written()
    {
        var proxy = CreateProxy(Spec("bandwidth", "upstream", ("rate", 0)), Spec("bandwidth", "downstream", ("rate", 0)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        using var api = new RawApi(Server.ApiUrl);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            var data = new byte[16 * 1024];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await client.SendAsync(data, SocketFlags.None, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by the test.
            }
        });

        var start = Stopwatch.GetTimestamp();
        var up = await api.SendAsync("DELETE", "/proxies/test/toxics/bandwidth_upstream");
        var down = await api.SendAsync("DELETE", "/proxies/test/toxics/bandwidth_downstream");
        var elapsed = Milliseconds(start);
        await backend.ReadExactlyAsync(64 * 1024, TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await writing;

        Assert.Equal((204, 204), (up.Code, down.Code));
        Assert.InRange(elapsed, 0, 5000);
    }

    private static async Task AssertEchoAsync(Socket client, string text)
    {
        var data = System.Text.Encoding.UTF8.GetBytes(text);
        await client.SendAsync(data, SocketFlags.None);
        Assert.Equal(data, await client.ReadExactlyAsync(data.Length));
    }
}

using System.Net.Sockets;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>limit_data: N bytes pass in that direction, then the connection closes.</summary>
public sealed class LimitDataToxicTests : ProxyTestBase
{
    [Fact]
    public async Task Over_the_limit_is_truncated_and_the_connection_closes()
    {
        var proxy = CreateProxy(Spec("limit_data", "upstream", ("bytes", 100)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var data = RandomBytes(150);

        await client.SendAsync(data, SocketFlags.None);

        Assert.Equal(data[..100], (await backend.ReadToEndAsync()).Data);
        Assert.Empty((await client.ReadToEndAsync()).Data);
    }

    [Fact]
    public async Task Under_the_limit_passes_and_stays_open()
    {
        var proxy = CreateProxy(Spec("limit_data", "upstream", ("bytes", 100)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync(RandomBytes(50), SocketFlags.None);
        await backend.ReadExactlyAsync(50);
        await backend.SendAsync("open"u8.ToArray(), SocketFlags.None);

        Assert.Equal("open"u8.ToArray(), await client.ReadExactlyAsync(4));
    }

    [Fact]
    public async Task Chunks_add_up_to_the_limit()
    {
        var proxy = CreateProxy(Spec("limit_data", "upstream", ("bytes", 100)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var first = RandomBytes(90);
        var second = RandomBytes(20);

        await client.SendAsync(first, SocketFlags.None);
        Assert.Equal(first, await backend.ReadExactlyAsync(90));
        await client.SendAsync(second, SocketFlags.None);

        Assert.Equal(second[..10], (await backend.ReadToEndAsync()).Data);
    }

    [Fact]
    public async Task Zero_closes_on_the_first_chunk_and_sends_nothing()
    {
        var proxy = CreateProxy(Spec("limit_data", "upstream", ("bytes", 0)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync(RandomBytes(10), SocketFlags.None);

        Assert.Empty((await backend.ReadToEndAsync()).Data);
        Assert.Empty((await client.ReadToEndAsync()).Data);
    }

    [Fact]
    public async Task The_count_survives_an_update_of_the_toxic()
    {
        var proxy = CreateProxy(Spec("limit_data", "upstream", ("bytes", 100)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var first = RandomBytes(60);
        var second = RandomBytes(100);

        await client.SendAsync(first, SocketFlags.None);
        Assert.Equal(first, await backend.ReadExactlyAsync(60));
        proxy.UpdateToxic("limit_data_upstream", new ToxicUpdate { Attributes = new Dictionary<string, object?> { ["bytes"] = 120 } });
        await client.SendAsync(second, SocketFlags.None);

        Assert.Equal(second[..60], (await backend.ReadToEndAsync()).Data);
    }
}

using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>The largest values an attribute accepts neither crash nor wedge the proxy: data is held, and flows once removed.</summary>
public sealed class ExtremeAttributeTests : ProxyTestBase
{
    [Theory]
    [InlineData("latency", "latency")]
    [InlineData("bandwidth", "rate")]
    [InlineData("slow_close", "delay")]
    [InlineData("slicer", "delay")]
    [InlineData("timeout", "timeout")]
    [InlineData("reset_peer", "timeout")]
    [InlineData("limit_data", "bytes")]
    public async Task Long_max_value_is_accepted_and_the_server_keeps_working(string type, string attribute)
    {
        var spec = Spec(type, "upstream", (attribute, long.MaxValue));
        if (type == "slicer")
        {
            spec = Spec(type, "upstream", ("average_size", 1), ("delay", long.MaxValue));
        }
        var proxy = CreateProxy(spec);
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync("abc"u8.ToArray(), SocketFlags.None);
        using var api = new RawApi(Server.ApiUrl);
        var removed = await api.SendAsync("DELETE", $"/proxies/test/toxics/{type}_upstream");
        var version = await api.GetAsync("/version");

        Assert.Equal(204, removed.Code);
        Assert.Equal(200, version.Code);
        using var next = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        using var nextBackend = await Upstream.AcceptAsync();
        await next.SendAsync("ok"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ok"u8.ToArray(), await nextBackend.ReadExactlyAsync(2));
    }
}

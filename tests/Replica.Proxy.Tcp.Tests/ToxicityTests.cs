using System.Diagnostics;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>Toxicity is drawn per connection (and again when the toxic is updated); a seed makes the draws repeatable.</summary>
public sealed class ToxicityTests : ProxyTestBase
{
    [Fact]
    public async Task Toxicity_zero_never_applies()
    {
        var proxy = CreateProxy(Spec("latency", "upstream", ("latency", 2000)) with { Toxicity = 0 });
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        var elapsed = await Sockets.TimeTransferAsync(client, backend, "fast"u8.ToArray());

        Assert.InRange(elapsed.TotalMilliseconds, 0, 1000);
    }

    [Fact]
    public async Task Updating_toxicity_redraws_on_open_connections()
    {
        var proxy = CreateProxy(Spec("timeout", "upstream", ("timeout", 0)) with { Toxicity = 0 });
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        await client.SendAsync("passes"u8.ToArray(), SocketFlags.None);
        Assert.Equal("passes"u8.ToArray(), await backend.ReadExactlyAsync(6));

        var start = Stopwatch.GetTimestamp();
        proxy.UpdateToxic("timeout_upstream", new ToxicUpdate { Toxicity = 1, Attributes = new Dictionary<string, object?> { ["timeout"] = 100 } });

        Assert.Empty((await client.ReadToEndAsync(TimeSpan.FromSeconds(5))).Data);
        Assert.InRange(Milliseconds(start), 100, 2000);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_draws_per_connection()
    {
        var first = await DrawsAsync(seed: 42);
        var second = await DrawsAsync(seed: 42);

        Assert.Equal(first, second);
        Assert.Contains(true, first);
        Assert.Contains(false, first);
    }

    /// <summary>For 12 connections in turn: whether a toxicity-0.5 limit_data 0 toxic cut the connection.</summary>
    private async Task<List<bool>> DrawsAsync(int seed)
    {
        await using var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0, Seed = seed });
        var proxy = server.Proxies.Create(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address)
        {
            Toxics = [Spec("limit_data", "upstream", ("bytes", 0)) with { Toxicity = 0.5f }],
        });
        var draws = new List<bool>();
        for (var i = 0; i < 12; i++)
        {
            using var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
            using var backend = await Upstream.AcceptAsync();
            await client.SendAsync("x"u8.ToArray(), SocketFlags.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            // One byte when the toxic was drawn off, EOF when it cut the connection.
            draws.Add(await backend.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token) == 0);
        }
        return draws;
    }
}

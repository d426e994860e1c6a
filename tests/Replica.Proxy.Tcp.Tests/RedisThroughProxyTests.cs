using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>The seed incidents' dependency for real: redis-server behind a proxy that is late, slow, then fine.</summary>
public sealed class RedisThroughProxyTests : IAsyncLifetime
{
    private ToxiproxyServer server = null!;
    private RedisEnvironment redis = null!;

    public async Task InitializeAsync()
    {
        server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 });
        redis = await RedisEnvironment.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Redis_refuses_until_its_startup_delay_then_answers_slowly_then_normally()
    {
        var start = Stopwatch.GetTimestamp();
        var proxy = server.Proxies.Create(new ProxyDefinition("redis", "127.0.0.1:0", redis.Address)
        {
            Toxics =
            [
                new ToxicSpec("startup_delay") { Attributes = new Dictionary<string, object?> { ["delay"] = 500, ["mode"] = "refuse" } },
                new ToxicSpec("latency") { Attributes = new Dictionary<string, object?> { ["latency"] = 150 } },
            ],
        });

        var refused = await Assert.ThrowsAsync<SocketException>(() => PingAsync(proxy.ListenEndPoint!));
        while (await Sockets.TryConnectAsync(proxy.ListenEndPoint!) == SocketError.ConnectionRefused)
        {
            Assert.True(Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(10), "redis never became reachable");
            await Task.Delay(10);
        }
        var ready = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var slow = Stopwatch.GetTimestamp();
        Assert.Equal("PONG", await PingAsync(proxy.ListenEndPoint!));
        var slowPing = Stopwatch.GetElapsedTime(slow).TotalMilliseconds;
        proxy.RemoveToxic("latency_downstream");
        var fast = Stopwatch.GetTimestamp();
        Assert.Equal("PONG", await PingAsync(proxy.ListenEndPoint!));

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.InRange(ready, 500, 10_000);
        Assert.InRange(slowPing, 150, 5000);
        Assert.InRange(Stopwatch.GetElapsedTime(fast).TotalMilliseconds, 0, 1000);
    }

    /// <summary>PING on a new connection to <paramref name="endPoint"/> (StackExchange.Redis); returns the reply.</summary>
    private static Task<string> PingAsync(IPEndPoint endPoint) =>
        RedisPing.SendAsync(endPoint.Address.ToString(), endPoint.Port, TimeSpan.FromSeconds(5));
}

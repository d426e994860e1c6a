using System.Net;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Toxics;
using Replica.Testing.Containers;
using Replica.Tests.Support;

namespace Replica.Testing.Tests;

/// <summary>
/// The Testcontainers bridge's proxy in front of a real TCP echo server (any host:port works the same as a container's
/// published port): toxics scoped with using, the proxy taken down and back, disposal releasing the port, and bad
/// arguments named. The latency figures run in the timing collection, alone, so that other tests' load cannot make
/// a round trip without the toxic look like one with it.
/// </summary>
[Collection(TimingCollection.Name)]
[Trait("Category", TimingCollection.Category)]
public sealed class TcpFaultProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(300);
    private TcpTestServer upstream = null!;

    public Task InitializeAsync()
    {
        upstream = TcpTestServer.StartEcho();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await upstream.DisposeAsync();

    [Fact]
    public async Task A_latency_scope_delays_round_trips_on_an_open_connection_until_it_ends()
    {
        await using var proxy = await TcpFaultProxy.StartAsync(upstream.Address);
        using var connection = await Sockets.ConnectAsync(proxy.Endpoint);

        TimeSpan[] slowed;
        using (var toxic = proxy.AddLatency(Latency))
        {
            Assert.Equal("latency_downstream", toxic.Name);
            slowed = [await RoundTripAsync(connection), await RoundTripAsync(connection), await RoundTripAsync(connection)];
        }
        TimeSpan[] after = [await RoundTripAsync(connection), await RoundTripAsync(connection), await RoundTripAsync(connection)];

        Assert.All(slowed, rtt => Assert.InRange(rtt, Latency, Latency + TimeSpan.FromSeconds(1.5)));
        Assert.Empty(proxy.Proxy.Toxics);
        Assert.True(after.Min() < Latency / 2, $"round trips after the scope: {string.Join(", ", after.Select(t => $"{t.TotalMilliseconds:F1} ms"))}");
    }

    [Fact]
    public async Task Scopes_remove_only_their_own_toxic_once_and_tolerate_one_already_gone()
    {
        await using var proxy = await TcpFaultProxy.StartAsync(upstream.Address);
        var first = proxy.AddLatency(TimeSpan.FromMilliseconds(10));
        await using var second = proxy.AddLatency(TimeSpan.FromMilliseconds(20));
        await using var upstreamOnly = proxy.AddBandwidth(1000, ToxicDirection.Upstream);
        Assert.Equal(["bandwidth_upstream", "latency_downstream", "latency_downstream_2"], proxy.Proxy.Toxics.Select(t => t.Name));

        await first.DisposeAsync();
        first.Dispose();
        proxy.Proxy.RemoveToxic(second.Name);
        await second.DisposeAsync();

        Assert.True(first.IsRemoved);
        Assert.Equal("bandwidth_upstream", Assert.Single(proxy.Proxy.Toxics).Name);
        Assert.Equal("latency_downstream", proxy.AddLatency(TimeSpan.FromMilliseconds(30)).Name);
    }

    [Fact]
    public async Task A_scoped_toxic_can_be_updated_until_its_scope_ends()
    {
        await using var proxy = await TcpFaultProxy.StartAsync(upstream.Address);
        var toxic = proxy.AddLatency(TimeSpan.FromMilliseconds(100), jitter: TimeSpan.FromMilliseconds(10), toxicity: 0.5f);

        var updated = toxic.Update(new ToxicUpdate { Attributes = new Dictionary<string, object?> { ["latency"] = 200 } });
        toxic.Dispose();

        Assert.Equal(200L, updated.Attributes.GetInteger("latency"));
        Assert.Equal(10L, updated.Attributes.GetInteger("jitter"));
        Assert.Equal(0.5f, updated.Toxicity);
        Assert.Throws<ObjectDisposedException>(() => toxic.Update(new ToxicUpdate { Toxicity = 1 }));
    }

    [Fact]
    public async Task Disable_refuses_connections_and_closes_open_ones_until_disposed_then_listens_on_the_same_port()
    {
        await using var proxy = await TcpFaultProxy.StartAsync(upstream.Address);
        var endPoint = IPEndPoint.Parse(proxy.Endpoint);
        using var open = await Sockets.ConnectAsync(endPoint);
        await RoundTripAsync(open);

        SocketError whileDown;
        ReadOutcome openConnection;
        await using (proxy.Disable())
        {
            whileDown = await Sockets.TryConnectAsync(endPoint);
            openConnection = await open.ReadToEndAsync();
        }
        using var again = await Sockets.ConnectAsync(endPoint);

        Assert.Equal(SocketError.ConnectionRefused, whileDown);
        Assert.Empty(openConnection.Data);
        Assert.Equal(endPoint.ToString(), proxy.Endpoint);
        await RoundTripAsync(again);
    }

    [Fact]
    public async Task Disposing_the_proxy_closes_its_connections_and_releases_its_port()
    {
        var proxy = await TcpFaultProxy.StartAsync(upstream.Address);
        var endPoint = IPEndPoint.Parse(proxy.Endpoint);
        using var open = await Sockets.ConnectAsync(endPoint);
        await RoundTripAsync(open);
        using var toxic = proxy.AddLatency(TimeSpan.FromMilliseconds(50));

        await proxy.DisposeAsync();
        await proxy.DisposeAsync();

        Assert.Empty((await open.ReadToEndAsync()).Data);
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(endPoint));
        // Bound without SO_REUSEADDR: this fails while anything still holds the port.
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.Bind(endPoint);
        }
        Assert.Throws<ObjectDisposedException>(() => proxy.AddLatency(TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public async Task Listens_where_the_options_say_and_reports_that_port()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var proxy = await TcpFaultProxy.StartAsync(upstream.Address, new TcpFaultProxyOptions { ListenHost = "localhost", ListenPort = port, Name = "echo" });
        using var connection = await Sockets.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));

        Assert.Equal(("127.0.0.1", port, $"127.0.0.1:{port}", "echo", upstream.Address), (proxy.Host, proxy.Port, proxy.Endpoint, proxy.Name, proxy.Upstream));
        await RoundTripAsync(connection);
    }

    [Fact]
    public async Task A_listen_port_another_program_holds_is_an_error_naming_the_address()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        var port = ((IPEndPoint)other.LocalEndPoint!).Port;

        var taken = await Assert.ThrowsAsync<ToxiproxyException>(() => TcpFaultProxy.StartAsync(upstream.Address, new TcpFaultProxyOptions { ListenPort = port }));

        Assert.Equal($"listen tcp 127.0.0.1:{port}: bind: address already in use", taken.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("redis")]
    [InlineData(":6379")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:port")]
    public async Task An_upstream_that_is_not_host_and_port_is_refused_naming_the_parameter(string upstreamText)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => TcpFaultProxy.StartAsync(upstreamText));

        Assert.Equal("upstream", error.ParamName);
    }

    [Theory]
    [InlineData(-1, "127.0.0.1", "ListenPort -1: expected 0 to 65535")]
    [InlineData(65536, "127.0.0.1", "ListenPort 65536")]
    [InlineData(0, "0.0.0.0", "ListenHost \"0.0.0.0\": expected an IP address of this machine (not a wildcard)")]
    [InlineData(0, "redis.local", "ListenHost \"redis.local\"")]
    public async Task Bad_options_are_refused_naming_the_option_before_anything_listens(int port, string host, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TcpFaultProxy.StartAsync(upstream.Address, new TcpFaultProxyOptions { ListenPort = port, ListenHost = host }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Bad_toxic_arguments_are_refused_naming_the_parameter_and_add_nothing()
    {
        await using var proxy = await TcpFaultProxy.StartAsync(upstream.Address);

        Assert.Equal("latency", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.AddLatency(TimeSpan.FromMilliseconds(-1))).ParamName);
        Assert.Equal("latency", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.AddLatency(TimeSpan.FromMilliseconds(0.5))).ParamName);
        Assert.Equal("jitter", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.AddLatency(TimeSpan.Zero, TimeSpan.FromMilliseconds(-5))).ParamName);
        Assert.Equal("toxicity", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.AddLatency(TimeSpan.Zero, toxicity: 1.5f)).ParamName);
        Assert.Equal("direction", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.AddTimeout(TimeSpan.Zero, (ToxicDirection)7)).ParamName);
        Assert.Equal("kilobytesPerSecond", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.AddBandwidth(-1)).ParamName);
        Assert.Equal("bytes", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.AddLimitData(-1)).ParamName);
        var unknown = Assert.Throws<ArgumentException>(() => proxy.AddToxic(new ToxicSpec("laggy")));
        var sideways = Assert.Throws<ArgumentException>(() => proxy.AddToxic(new ToxicSpec("latency") { Stream = "sideways" }));
        var negative = Assert.Throws<ArgumentException>(() => proxy.AddToxic(new ToxicSpec("slicer") { Attributes = new Dictionary<string, object?> { ["average_size"] = -3 } }));
        Assert.Throws<ArgumentNullException>(() => proxy.AddToxic(null!));

        Assert.Equal(("toxic", "toxic", "toxic"), (unknown.ParamName, sideways.ParamName, negative.ParamName));
        Assert.Contains("toxic laggy: invalid toxic type (expected one of noop, latency, bandwidth", unknown.Message);
        Assert.Contains("stream was invalid", sideways.Message);
        Assert.Contains("average_size", negative.Message);
        Assert.Empty(proxy.Proxy.Toxics);
    }

    [Fact]
    public async Task A_null_container_is_refused_naming_the_parameter()
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => TcpFaultProxy.StartAsync((DotNet.Testcontainers.Containers.IContainer)null!, 6379));

        Assert.Equal("container", error.ParamName);
    }

    private static async Task<TimeSpan> RoundTripAsync(Socket connection) => await Sockets.TimeTransferAsync(connection, connection, "ping"u8.ToArray());
}

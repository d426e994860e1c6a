using System.Diagnostics;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>A real server (ephemeral API port), a real upstream TCP server, and helpers to connect through a proxy.</summary>
public abstract class ProxyTestBase : IAsyncLifetime
{
    protected ToxiproxyServer Server { get; private set; } = null!;

    protected TcpTestServer Upstream { get; private set; } = null!;

    /// <summary>The server's seed: fixed, so a test's random choices repeat from run to run.</summary>
    protected virtual int Seed => 1234;

    /// <summary>The toxics' clock: the system's, unless a test class runs on a <see cref="FakeClock"/>.</summary>
    protected virtual TimeProvider Time => TimeProvider.System;

    public virtual async Task InitializeAsync()
    {
        Server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0, Seed = Seed, TimeProvider = Time });
        Upstream = TcpTestServer.StartManual();
    }

    public virtual async Task DisposeAsync()
    {
        try
        {
            await Server.DisposeAsync();
        }
        finally
        {
            await Upstream.DisposeAsync();
        }
    }

    protected static ToxicSpec Spec(string type, string stream, params (string Name, object Value)[] attributes) => new(type)
    {
        Stream = stream,
        Attributes = attributes.ToDictionary(a => a.Name, a => (object?)a.Value),
    };

    protected TcpProxy CreateProxy(params ToxicSpec[] toxics) =>
        Server.Proxies.Create(new ProxyDefinition("test", "127.0.0.1:0", Upstream.Address) { Toxics = toxics });

    /// <summary>A client connected through the proxy and the upstream server's side of the same connection.</summary>
    protected async Task<(Socket Client, Socket Backend)> ConnectAsync(TcpProxy proxy)
    {
        var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!);
        return (client, await Upstream.AcceptAsync());
    }

    protected static double Milliseconds(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;

    protected static byte[] RandomBytes(int count)
    {
        var data = new byte[count];
        Random.Shared.NextBytes(data);
        return data;
    }
}

using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>/metrics exists only when asked for, and counts bytes per direction with Toxiproxy's names and labels.</summary>
public sealed class ApiMetricsEndpointTests : ApiTestBase
{
    protected override ToxiproxyServerOptions Options => new() { Port = 0, ProxyMetrics = true, RuntimeMetrics = true };

    [Fact]
    public async Task Metrics_count_bytes_each_way_with_tox_proxys_labels()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("metered", "127.0.0.1:0", Upstream.Address));
        using (var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!))
        {
            await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            await client.ReadExactlyAsync(5);
        }
        var labels = $"listener=\"{proxy.Listen}\",proxy=\"metered\",upstream=\"{Upstream.Address}\"";

        var response = await Api.GetAsync("/metrics");

        Assert.Equal(200, response.Code);
        Assert.Contains($"toxiproxy_proxy_received_bytes_total{{direction=\"upstream\",{labels}}} 5\n", response.Body);
        Assert.Contains($"toxiproxy_proxy_sent_bytes_total{{direction=\"upstream\",{labels}}} 5\n", response.Body);
        Assert.Contains($"toxiproxy_proxy_received_bytes_total{{direction=\"downstream\",{labels}}} 5\n", response.Body);
        Assert.Contains($"toxiproxy_proxy_sent_bytes_total{{direction=\"downstream\",{labels}}} 5\n", response.Body);
        Assert.Contains("process_resident_memory_bytes ", response.Body);
    }

    [Fact]
    public async Task Label_values_are_escaped_as_prometheus_requires()
    {
        var proxy = Server.Proxies.Create(new ProxyDefinition("say \"hi\" \\ bye", "127.0.0.1:0", Upstream.Address));
        using (var client = await Sockets.ConnectAsync(proxy.ListenEndPoint!))
        {
            await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            await client.ReadExactlyAsync(5);
        }

        var response = await Api.GetAsync("/metrics");

        Assert.Contains(",proxy=\"say \\\"hi\\\" \\\\ bye\",", response.Body);
    }
}


using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// A real third-party client: toxiproxy-node-client 4.1.0 from npm, unmodified, drives create proxy → add latency →
/// list → update → delete → reset (and more) against this server; tests/node/client-test.mjs asserts each
/// answer. node_modules is installed with `npm ci` from the committed lock file the first time, then reused.
/// </summary>
public sealed class NodeClientTests : ApiTestBase
{
    [Fact]
    public async Task Toxiproxy_node_client_works_unchanged()
    {
        var (code, output, error) = await NodeTools.RunAsync("client-test.mjs", [Server.ApiUrl.ToString(), Upstream.Address], TimeSpan.FromSeconds(120));

        Assert.True(code == 0, $"node client test failed ({code}):\n{output}\n{error}");
        Assert.Equal(
            ["getVersion", "createProxy", "addToxic latency", "getAll and getToxic", "toxic.update", "proxy.update", "every toxic type", "toxic.remove", "populate", "reset", "proxy.remove"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace("ok ", "")));
        Assert.Equal(["node_pop"], Server.Proxies.List().Select(p => p.Name));
        Assert.Empty(Server.Proxies.Get("node_pop").Toxics);
    }
}

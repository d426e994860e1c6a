using System.Text.Json;
using Replica.Proxy.Tcp;

namespace Replica.Tests.Support;

/// <summary>A real server on an ephemeral port driven through plain HTTP, with helpers to assert exact API answers.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected ToxiproxyServer Server { get; private set; } = null!;

    protected RawApi Api { get; private set; } = null!;

    protected TcpTestServer Upstream { get; private set; } = null!;

    protected virtual ToxiproxyServerOptions Options => new() { Port = 0, Seed = 5 };

    public async Task InitializeAsync()
    {
        Server = await ToxiproxyServer.StartAsync(Options);
        Api = new RawApi(Server.ApiUrl);
        Upstream = TcpTestServer.StartEcho();
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>Asserts Toxiproxy's error answer: the status, then exactly {"error":message,"status":code,…} and a newline.</summary>
    protected static void AssertError(RawResponse response, int status, string message)
    {
        Assert.Equal(status, response.Code);
        Assert.EndsWith("\n", response.Body);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal(message, body.RootElement.GetProperty("error").GetString());
        Assert.Equal(status, body.RootElement.GetProperty("status").GetInt32());
        Assert.StartsWith($"{{\"error\":{JsonSerializer.Serialize(message)},\"status\":{status}", response.Body);
    }

    protected async Task<string> CreateProxyAsync(string name, bool enabled = true)
    {
        var response = await Api.PostAsync("/proxies", $$"""{"name":"{{name}}","listen":"127.0.0.1:0","upstream":"{{Upstream.Address}}","enabled":{{(enabled ? "true" : "false")}}}""");
        Assert.Equal(201, response.Code);
        return Server.Proxies.Get(name).Listen;
    }
}

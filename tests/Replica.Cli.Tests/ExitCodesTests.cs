using System.Net;
using System.Net.Sockets;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Client;
using Replica.Proxy.Tcp.Configuration;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// The one mapping from an error to the process's exit code, for errors the libraries raise themselves: they say what
/// went wrong (a status, a kind) and the CLI alone says which code that is.
/// </summary>
public sealed class ExitCodesTests : ApiTestBase
{
    [Fact]
    public async Task An_error_answer_of_the_toxiproxy_api_is_bad_input()
    {
        using var client = new ToxiproxyClient(Server.ApiUrl);
        await client.CreateProxyAsync(new ProxyDefinition("p", "127.0.0.1:0", Upstream.Address));

        var invalid = await Assert.ThrowsAsync<ToxiproxyException>(() => client.AddToxicAsync("p", new ToxicSpec("down")));

        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(invalid)?.ExitCode);
    }

    [Fact]
    public async Task A_toxiproxy_api_that_cannot_be_reached_is_a_missing_prerequisite_with_a_hint()
    {
        using var client = new ToxiproxyClient(new Uri($"http://127.0.0.1:{ClosedPort()}/"));

        var error = await Assert.ThrowsAsync<ToxiproxyUnavailableException>(() => client.GetProxiesAsync());

        Assert.Equal(ExitCodes.Prerequisite, ExitCodes.For(error)?.ExitCode);
        Assert.NotNull(ExitCodes.For(error)?.Hint);
    }

    [Fact]
    public void A_config_file_that_is_missing_or_malformed_is_bad_input()
    {
        using var directory = new ScratchDirectory("replica-exit-codes-");
        var malformed = directory.Write("proxies.json", "{\"name\": \"a\"}");

        var missing = Assert.Throws<ProxyConfigException>(() => ProxyConfigFile.Load(Path.Combine(directory.Path, "nope.json")));
        var wrong = Assert.Throws<ProxyConfigException>(() => ProxyConfigFile.Load(malformed));

        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(missing)?.ExitCode);
        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(wrong)?.ExitCode);
    }

    [Fact]
    public void An_error_the_cli_does_not_know_keeps_its_stack_trace()
    {
        Assert.Null(ExitCodes.For(new InvalidOperationException("a bug")));
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

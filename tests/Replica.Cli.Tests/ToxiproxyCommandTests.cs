using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Replica.Environments.Processes;
using Replica.Proxy.Tcp.Client;
using Replica.Proxy.Tcp.Toxics;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>`replica toxiproxy` as a drop-in for toxiproxy-server: config, seed, signals, and errors as one line.</summary>
public sealed partial class ToxiproxyCommandTests : IAsyncLifetime
{
    private readonly ScratchDirectory directory = new("replica-toxiproxy-cli-");
    private readonly CliRunner cli = new();
    private TcpTestServer upstream = null!;

    public Task InitializeAsync()
    {
        upstream = TcpTestServer.StartEcho();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        try
        {
            cli.Dispose();
            await upstream.DisposeAsync();
        }
        finally
        {
            directory.Dispose();
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serves_the_config_and_stops_cleanly_on_a_signal(string signal)
    {
        var config = WriteConfig($$$"""[{"name":"redis","listen":"127.0.0.1:0","upstream":"{{{upstream.Address}}}","toxics":[{"type":"latency","attributes":{"latency":50}}]}]""");
        await using var server = cli.Start(["toxiproxy", "--port", "0", "--seed", "77", "--config", config]);
        await server.WaitForOutputAsync("API listening on", TimeSpan.FromSeconds(30));
        var api = new Uri(ApiUrl().Match(server.StandardOutput).Groups[1].Value);
        using var client = new ToxiproxyClient(api);
        var proxy = await client.GetProxyAsync("redis");
        var listen = IPEndPoint.Parse(proxy.Listen);
        using (var connection = await Sockets.ConnectAsync(listen))
        {
            Assert.InRange((await Sockets.TimeTransferAsync(connection, connection, "x"u8.ToArray())).TotalMilliseconds, 50, 5000);
        }

        if (signal == "INT")
        {
            ProcessTable.AssertSigintReaches(server.Id);
        }
        server.Signal(signal == "INT" ? UnixSignal.SIGINT : UnixSignal.SIGTERM);

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("(seed 77)", server.StandardOutput);
        Assert.Equal("latency_downstream", Assert.Single(proxy.Toxics).Name);
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(listen));
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(new IPEndPoint(IPAddress.Loopback, api.Port)));
    }

    [Fact]
    public async Task With_inline_io_it_proxies_through_a_latency_toxic_a_megabyte_intact_and_the_api_still_changes_the_toxic()
    {
        var config = WriteConfig($$$"""[{"name":"redis","listen":"127.0.0.1:0","upstream":"{{{upstream.Address}}}","toxics":[{"type":"latency","name":"slow","attributes":{"latency":50}}]}]""");
        await using var server = cli.Start(["toxiproxy", "--port", "0", "--inline-io", "--config", config]);
        await server.WaitForOutputAsync("API listening on", TimeSpan.FromSeconds(30));
        Assert.Contains("inline I/O;", server.StandardOutput);
        using var client = new ToxiproxyClient(new Uri(ApiUrl().Match(server.StandardOutput).Groups[1].Value));
        var listen = IPEndPoint.Parse((await client.GetProxyAsync("redis")).Listen);

        using (var connection = await Sockets.ConnectAsync(listen))
        {
            Assert.InRange((await Sockets.TimeTransferAsync(connection, connection, "x"u8.ToArray())).TotalMilliseconds, 50, 5000);
            // Many chunks each way, read and written on the socket threads: all of it arrives, in order.
            var megabyte = new byte[1 << 20];
            new Random(7).NextBytes(megabyte);
            var echoed = connection.ReadExactlyAsync(megabyte.Length, TimeSpan.FromSeconds(30));
            await connection.SendAsync(megabyte, SocketFlags.None);
            var back = await echoed;
            Assert.True(megabyte.AsSpan().SequenceEqual(back), "the megabyte came back changed");
        }

        await client.UpdateToxicAsync("redis", "slow", new ToxicUpdate { Attributes = new Dictionary<string, object?> { ["latency"] = 300 } });
        using (var connection = await Sockets.ConnectAsync(listen))
        {
            Assert.InRange((await Sockets.TimeTransferAsync(connection, connection, "x"u8.ToArray())).TotalMilliseconds, 300, 5000);
        }
        server.Signal(UnixSignal.SIGTERM);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Accepts_toxiproxy_servers_single_dash_flags_and_picks_a_seed()
    {
        await using var server = cli.Start(["toxiproxy", "-host", "127.0.0.1", "-port", "0", "-proxy-metrics"]);
        await server.WaitForOutputAsync("API listening on", TimeSpan.FromSeconds(30));
        using var http = new HttpClient();

        var metrics = await http.GetAsync(new Uri(new Uri(ApiUrl().Match(server.StandardOutput).Groups[1].Value), "metrics"));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Matches(@"\(seed -?[0-9]+\)", server.StandardOutput);
    }

    [Fact]
    public async Task A_bad_config_fails_with_one_line_naming_the_file_and_proxy()
    {
        var config = WriteConfig("""[{"name":"redis","listen":"127.0.0.1:0"}]""");

        var (code, _, error) = await cli.RunAsync(["toxiproxy", "--port", "0", "--config", config]);

        Assert.Equal(2, code);
        Assert.Equal($"replica: config {config}: missing required field: upstream at proxy 1", error.Split('\n')[0]);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task A_port_in_use_fails_and_leaves_no_proxy_of_the_config_behind()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var takenPort = ((IPEndPoint)taken.LocalEndPoint!).Port;
        using var free = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        free.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var firstPort = ((IPEndPoint)free.LocalEndPoint!).Port;
        free.Close();
        var config = WriteConfig($$"""[{"name":"first","listen":"127.0.0.1:{{firstPort}}","upstream":"{{upstream.Address}}"},{"name":"second","listen":"127.0.0.1:{{takenPort}}","upstream":"{{upstream.Address}}"}]""");

        var (code, _, error) = await cli.RunAsync(["toxiproxy", "--port", "0", "--config", config]);

        Assert.Equal(3, code);
        Assert.Contains($"config {config}: listen tcp 127.0.0.1:{takenPort}: bind: address already in use", error);
        Assert.Equal(SocketError.ConnectionRefused, await Sockets.TryConnectAsync(new IPEndPoint(IPAddress.Loopback, firstPort)));
    }

    [Fact]
    public async Task An_api_port_in_use_is_a_prerequisite_error()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var (code, _, error) = await cli.RunAsync(["toxiproxy", "--port", port.ToString()]);

        Assert.Equal(3, code);
        Assert.StartsWith($"replica: listen tcp 127.0.0.1:{port}: bind: address already in use", error);
        Assert.Contains("hint: ", error);
    }

    [Fact]
    public async Task An_address_not_on_this_machine_is_one_line_not_a_stack_trace()
    {
        var (code, _, error) = await cli.RunAsync(["toxiproxy", "--host", "192.0.2.1", "--port", "0"]);

        Assert.Equal(3, code);
        Assert.StartsWith("replica: listen tcp 192.0.2.1:0: bind: cannot assign requested address\n", error);
        Assert.DoesNotContain("   at ", error);
    }

    [GeneratedRegex(@"API listening on (http://\S+)")]
    private static partial Regex ApiUrl();

    private string WriteConfig(string json)
    {
        return directory.Write("proxies.json", json);
    }
}
